import { z } from 'zod';
import { JsonValueSchema } from './json.js';

/**
 * interactions.json: one file, two schemas.
 * - {@link InteractionsSchema} is what clem-ts writes (strict: clemcore 3.7's shape — meta, player_models, players,
 *   turns = one list of events per round, per-round request counts, outcome keys, any game keys).
 * - {@link InteractionsReadSchema} is what clem-ts reads, from clem-ts or any clemcore version (tolerant).
 * Unknown keys are kept in both: games log their own.
 */
export const ActionSchema = z
  .looseObject({
    type: z.string().describe('send message | get message | parse | error | invalid format | metadata | a game type'),
    content: JsonValueSchema.describe('The message text, or any JSON value for game events.'),
    label: z.string().optional().describe('context | response | forget'),
  })
  .describe('What happened in an event.');

export const EventSchema = z.strictObject({
  from: z.string().describe('"GM" or "Player N"'),
  to: z.string(),
  timestamp: z.string().describe('ISO 8601'),
  action: ActionSchema,
});

export const PlayerEntrySchema = z.looseObject({
  game_role: z.string(),
  model_name: z.string(),
});

export const InteractionsMetaSchema = z.looseObject({
  game_name: z.string(),
  experiment_name: z.string(),
  game_id: z.number().int(),
  results_folder: z.string(),
  clem_version: z.string(),
  round_count: z.number().int().nonnegative(),
  completed: z.boolean(),
  format_version: z.number().int().optional().describe('clem-ts interactions format version.'),
  seed: z
    .number()
    .int()
    .optional()
    .describe("clem-ts: the episode's seed (its game rng), what replay needs; absent in clemcore files and older clem-ts ones."),
});

const CountListSchema = z.array(z.number().int().nonnegative()).describe('One count per round.');

export const InteractionsSchema = z
  .looseObject({
    meta: InteractionsMetaSchema,
    player_models: z.record(z.string(), JsonValueSchema),
    players: z.record(z.string(), PlayerEntrySchema),
    turns: z.array(z.array(EventSchema)).describe('One list of events per round.'),
    'Request Count': CountListSchema,
    'Parsed Request Count': CountListSchema,
    'Violated Request Count': CountListSchema,
    Aborted: z.union([z.literal(0), z.literal(1)]),
    Lose: z.union([z.literal(0), z.literal(1)]),
    Success: z.union([z.literal(0), z.literal(1)]),
  })
  .describe('interactions.json (clemcore 3.7 shape; unknown keys kept).');

export type Interactions = z.infer<typeof InteractionsSchema>;
export type GameEvent = z.infer<typeof EventSchema>;

export const INTERACTIONS_FORMAT_VERSION = 1;

// ------------------------------------------------------------------------------------------- reading, tolerant

/**
 * interactions.json as clem-ts reads it, from clem-ts ({@link InteractionsSchema}) or any clemcore version: 2.x
 * `players: {"Player 1": "model"}`, meta without round_count or with `dialogue_pair` instead of `results_folder`,
 * event contents that are lists or objects, no outcome keys. Every file {@link InteractionsSchema} accepts is
 * accepted here. Unknown keys are kept everywhere; nothing read with it is written back.
 */
export const EventReadSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  timestamp: z.string().optional(),
  action: z.looseObject({
    type: z.string(),
    content: z.unknown().optional(),
    label: z.string().optional(),
    reasoning: z.unknown().optional().describe('clem-ts: the reasoning text a backend returned with the reply.'),
  }),
});

export const PlayerEntryReadSchema = z.union([
  z.string().describe('clemcore < 2.4: the model name (or the GM description)'),
  z.looseObject({ game_role: z.string().optional(), model_name: z.string().optional() }),
]);

const OutcomeFlagReadSchema = z.unknown().optional().describe('0/1 in clem-ts and clemcore ≥3; absent in legacy files');

export const InteractionsReadSchema = z
  .looseObject({
    meta: z
      .looseObject({
        game_name: z.string().optional(),
        experiment_name: z.string().optional(),
        game_id: z.union([z.number(), z.string()]).optional(),
        results_folder: z.string().optional(),
        dialogue_pair: z.string().optional(),
        round_count: z.number().nullable().optional(),
      })
      .optional(),
    player_models: z.unknown().optional(),
    players: z.record(z.string(), PlayerEntryReadSchema).optional(),
    turns: z.array(z.array(EventReadSchema)).default([]),
    Aborted: OutcomeFlagReadSchema,
    Lose: OutcomeFlagReadSchema,
    Success: OutcomeFlagReadSchema,
  })
  .describe('interactions.json from clem-ts or any clemcore version (read-only, tolerant).');

export type InteractionsRead = z.infer<typeof InteractionsReadSchema>;
export type EventRead = z.infer<typeof EventReadSchema>;
export type PlayerEntryRead = z.infer<typeof PlayerEntryReadSchema>;

/** A player's role and model, from either players shape. */
export function playerInfo(entry: PlayerEntryRead | undefined): { role: string; model: string } {
  if (entry === undefined) return { role: '', model: '' };
  if (typeof entry === 'string') return { role: '', model: entry };
  return { role: entry.game_role ?? '', model: entry.model_name ?? '' };
}
