import type { Command } from 'commander';
import { registerLearnData } from './learn-data.js';
import { registerLearnRewards } from './learn-rewards.js';
import { registerLearnTrain } from './learn-train.js';

/**
 * The `learn` command group: from recorded episodes to training data and trained models. Each verb lives in its
 * own file and registers itself here with one line (learn-data: sft-data, dpo-data; learn-rewards: rewards;
 * learn-train: sft, dpo, pg).
 */
export function registerLearn(program: Command): void {
  const learn = program.command('learn').description('Learn from recorded episodes: datasets (sft-data, dpo-data), rewards, training');
  registerLearnData(learn);
  registerLearnRewards(learn);
  registerLearnTrain(learn);
}
