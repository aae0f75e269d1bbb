import { distance } from 'fastest-levenshtein';
import { ConfigError, UnknownNameError } from '../../base/errors.js';
import type { GameRewardHooks, GameRewards, Reward, RewardDefinition } from '../../core/rewards.js';
import { closestNames } from '../../registry/closest.js';
import type { JsonValue } from '../../registry/json.js';
import { formatIssues } from '../../registry/parse.js';
import { logprobRewardDefinition } from './logprob.js';
import { multiturnReward } from './multiturn.js';
import { refevalReward } from './refeval.js';
import { rubricJudgeReward } from './rubric-judge.js';

/** The rewards every game gets (given the hooks they need): mr, logprob, judge, refeval. */
export const GENERIC_REWARDS: readonly RewardDefinition[] = [multiturnReward, logprobRewardDefinition, rubricJudgeReward, refevalReward];

const HOOK_WORDS: Partial<Record<keyof GameRewardHooks, string>> = {
  logprobTarget: 'a target for the scoring model (GameRewards.logprobTarget)',
  measureFuture: 'metrics of a future (GameRewards.measureFuture)',
  task: 'a task description (GameRewards.task)',
  reference: 'a reference (GameRewards.reference)',
};

const missingHooks = (def: RewardDefinition, game: GameRewards | undefined): (keyof GameRewardHooks)[] =>
  (def.needsHooks ?? []).filter((h) => game?.[h] === undefined);

/**
 * Every reward available for a game: its own definitions first (they win a name), then the generic ones whose game
 * hooks it gives (see RewardDefinition.needsHooks).
 */
export function availableRewards(game: GameRewards | undefined): RewardDefinition[] {
  const own = game?.definitions ?? [];
  return [...own, ...GENERIC_REWARDS.filter((g) => !own.some((o) => o.name === g.name) && missingHooks(g, game).length === 0)];
}

/**
 * The reward `name` for a game (`gameName` names it in messages), configured with `options` (validated by the
 * reward's schema; defaults filled in). Throws UnknownNameError listing the game's rewards (and a close name, if
 * one is), and ConfigError for bad options (every issue, with its path).
 */
export function resolveReward(name: string, game: GameRewards | undefined, options: Record<string, unknown> = {}, gameName = 'this game'): Reward {
  const all = availableRewards(game);
  const def = all.find((d) => d.name === name);
  const generic = GENERIC_REWARDS.find((d) => d.name === name);
  if (!def && generic) {
    const lacks = missingHooks(generic, game).map((h) => HOOK_WORDS[h] ?? h);
    throw new ConfigError(`reward '${name}' needs what ${gameName} does not give: ${lacks.join(' and ')}. Rewards of ${gameName}: ${all.map((d) => d.name).join(', ')}.`);
  }
  if (!def) {
    // short names are all within a few edits of each other: suggest only a near miss ("eigg" → eig, not "eig" → mr)
    const close = closestNames(name, all.map((d) => d.name)).filter((n) => distance(n.toLowerCase(), name.toLowerCase()) <= Math.max(1, Math.floor(name.length / 3)));
    throw new UnknownNameError('reward', name, close, `${gameName === 'this game' ? 'This game has' : `Rewards of ${gameName}`}: ${all.map((d) => d.name).join(', ')}.`);
  }
  const parsed = def.options.safeParse(options);
  if (!parsed.success) throw new ConfigError(`reward '${name}': bad options: ${formatIssues(parsed.error, options).join('; ')}`);
  const reward = def.create(parsed.data);
  // a reward may be a class instance: keep its score() bound when adding the options
  return { ...reward, score: reward.score.bind(reward), options: JSON.parse(JSON.stringify(parsed.data ?? {})) as Record<string, JsonValue> };
}
