import { z } from 'zod';
import { JsonValueSchema } from './json.js';

/**
 * interactions.json, in clemcore 3.7's shape (meta, player_models, players, turns = one list of events per
 * round, per-round request counts, outcome keys, any game keys). Unknown keys are kept: games log their own.
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
