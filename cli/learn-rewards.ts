import { resolve } from 'node:path';
import type { Command } from 'commander';
import { learnRewards } from '../learners/rewards/learn-rewards.js';
import { folder, jsonKeyValues, keyValues, parseNumber } from './options.js';

/** `learn rewards`: option parsing only; calls learners/rewards/learn-rewards.ts. */
export function registerLearnRewards(learn: Command): void {
  learn
    .command('rewards')
    .description('Score the recorded replies of a role with a proxy reward; writes rewards.<reward>.json beside each episode (reruns resume)')
    .requiredOption('-g, --game <game>', 'game name')
    .requiredOption('--reward <name>', "reward: the game's own (20q: eig, uot) or mr, logprob, judge, refeval")
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('--role <role>', "the role whose replies are scored (default: the game's, 20q: Questioner; all: every player)")
    .option('-m, --policy <model>', 'policy model: plays the role in sampled futures (mr) and samples --alternatives')
    .option('--judge <model>', 'judge model (rewards mr, judge, refeval)')
    .option('--scorer <model>', 'scoring model with score() (reward logprob)')
    .option('--labeler <model>', 'model that labels candidate words where the game cannot (reward eig, uot)')
    .option('--reward-option <key=value...>', 'reward option, e.g. samples=3, window=2, score=realised or weights={"tokens":-0.001}', jsonKeyValues)
    .option('--role-model <role=model...>', 'model for another seat in sampled futures (default: the recorded one)', keyValues)
    .option('--models <models...>', 'only episodes whose models folder contains one of these')
    .option('-e, --experiment <names...>', 'only these experiments')
    .option('--alternatives <k>', 'also sample k replies from the policy at each state and score them with the recorded one (refeval needs rivals)', parseNumber('int', 1))
    .option('-t, --temperature <t>', 'sampling temperature of the policy (futures and alternatives; default 1)', parseNumber('float', 0))
    .option('-l, --max-tokens <n>', 'maximum tokens per policy reply', parseNumber('int', 1))
    .option('-c, --concurrency <n>', 'states scored at once', parseNumber('int', 1), 4)
    .option('--seed <s>', 'seed of sampled futures and alternatives', parseNumber('int'), 0)
    .action(async (opts: {
      game: string; reward: string; resultsDir: string; role?: string; policy?: string; judge?: string; scorer?: string; labeler?: string;
      rewardOption?: Record<string, unknown>; roleModel?: Record<string, string>; models?: string[]; experiment?: string[]; alternatives?: number;
      temperature?: number; maxTokens?: number; concurrency: number; seed: number;
    }) => {
      const controller = new AbortController();
      const onSignal = (): void => controller.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      try {
        const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
        const s = await learnRewards({
          resultsDir: resolve(opts.resultsDir), game: opts.game, reward: opts.reward, rewardOptions: opts.rewardOption ?? {}, roleModels: opts.roleModel ?? {},
          ...optional('role', opts.role), ...optional('policy', opts.policy), ...optional('judge', opts.judge), ...optional('scorer', opts.scorer),
          ...optional('labeler', opts.labeler), ...optional('models', opts.models), ...optional('experiments', opts.experiment),
          ...optional('alternatives', opts.alternatives), ...optional('temperature', opts.temperature), ...optional('maxTokens', opts.maxTokens),
          concurrency: opts.concurrency, seed: opts.seed, signal: controller.signal,
          onEpisode: (e) => process.stderr.write(`[${e.done}/${e.total}] ${e.rel}: ${e.status === 'skipped' ? 'already done' : `${e.turns} turn(s)`}\n`),
        });
        const mean = s.mean === null ? 'none' : s.mean.toFixed(4);
        const perTurn = s.msPerTurn === null ? '' : `; ${s.msPerTurn.toFixed(1)} ms per scored turn (wall ${(s.wallMs / 1000).toFixed(1)} s)`;
        process.stdout.write(
          `rewards ${s.reward} (${s.game}, ${s.role}): ${s.episodes - s.skipped} episode(s) scored, ${s.skipped} already done; ` +
            `${s.turns} turn(s), ${s.scored} with a score, mean ${mean}${perTurn}. Files: rewards.${s.reward}.json beside each episode\n`,
        );
        for (const [models, g] of Object.entries(s.groups))
          process.stdout.write(`  ${models}: ${g.episodes} episode(s), ${g.turns} turn(s), ${g.scored} with a score, mean ${g.mean === null ? 'none' : g.mean.toFixed(4)}\n`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
