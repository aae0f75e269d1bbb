import { z } from 'zod';
import { JsonValueSchema } from './json.js';

export const REWARDS_FORMAT_VERSION = 1;

/** `rewards.<reward>.json` beside an episode's interactions.json (`clem-ts learn rewards`). */
export const rewardsFileName = (reward: string): string => `rewards.${reward}.json`;
/** Matches a rewards file name; group 1 is the reward. */
export const REWARDS_FILE = /^rewards\.([a-z0-9][a-z0-9_-]*)\.json$/;

const Score = z.number().nullable().describe('Higher is better; null where the reward is undefined (the details say why).');

export const RewardAlternativeSchema = z.strictObject({
  reply: z.string().describe('A reply sampled from the policy at the same state.'),
  score: Score,
  details: JsonValueSchema,
});

export const RewardTurnSchema = z.strictObject({
  turn: z.number().int().nonnegative().describe('The reply\'s index among all turns of the episode (0-based, play order).'),
  round: z.number().int().nonnegative(),
  player: z.string().describe('"Player 1", …'),
  role: z.string(),
  player_turn: z.number().int().nonnegative().describe('The reply\'s index among this player\'s replies (0-based).'),
  reply: z.string().describe('The recorded reply that was scored.'),
  score: Score,
  details: JsonValueSchema.describe('What the score is made of (the reward\'s own details).'),
  alternatives: z.array(RewardAlternativeSchema).optional().describe('Replies sampled from the policy at this state and scored together with the recorded one (--alternatives).'),
  elapsed_ms: z.number().nonnegative().describe('Wall time of scoring this turn (model calls included).'),
});

export const RewardsSummarySchema = z.strictObject({
  turns: z.number().int().nonnegative(),
  scored: z.number().int().nonnegative().describe('Turns with a numeric score.'),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  elapsed_ms: z.number().nonnegative().describe('Sum of the turns\' elapsed_ms.'),
});

/**
 * Per-turn rewards of one recorded episode, for analysis and the HTML transcript. A rerun with the same reward,
 * options, models and seed skips the episode; anything else rewrites the file. Unknown keys refused.
 */
export const RewardsFileSchema = z
  .strictObject({
    format_version: z.literal(REWARDS_FORMAT_VERSION),
    reward: z.string().describe('The reward\'s name (eig, uot, mr, logprob, judge, refeval, …).'),
    description: z.string(),
    options: z.record(z.string(), JsonValueSchema).describe('The reward\'s options, defaults filled in.'),
    models: z.record(z.string(), z.string()).describe('Model name per purpose (policy, judge, scorer, labeler) that were given.'),
    seed: z.number().int(),
    game_name: z.string(),
    experiment_name: z.string(),
    game_id: z.number().int(),
    created_at: z.string().describe('ISO 8601'),
    turns: z.array(RewardTurnSchema),
    summary: RewardsSummarySchema,
  })
  .describe('rewards.<reward>.json: per-turn proxy rewards of one episode (clem-ts format; unknown keys refused).');

export type RewardsFile = z.infer<typeof RewardsFileSchema>;
export type RewardTurn = z.infer<typeof RewardTurnSchema>;
