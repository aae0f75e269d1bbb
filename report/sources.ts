import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseJsonFile } from '../registry/parse.js';
import { readJsonTolerant } from '../registry/scores.js';

/**
 * What the report pages read, as tolerant schemas: interactions.json as clem-ts writes it (registry/interactions.ts)
 * and as every clemcore version did (2.x `players: {"Player 1": "model"}`, meta without round_count, event contents
 * that are lists or objects, no outcome keys), and the few fields of error.json and completed.json a page shows.
 * Unknown keys are kept everywhere; nothing here is written back.
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

const PlayerReadSchema = z.union([
  z.string().describe('clemcore < 2.4: the model name (or the GM description)'),
  z.looseObject({ game_role: z.string().optional(), model_name: z.string().optional() }),
]);

const OutcomeFlagSchema = z.unknown().optional().describe('0/1 in clem-ts and clemcore ≥3; absent in legacy files');

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
    players: z.record(z.string(), PlayerReadSchema).optional(),
    turns: z.array(z.array(EventReadSchema)).default([]),
    Aborted: OutcomeFlagSchema,
    Lose: OutcomeFlagSchema,
    Success: OutcomeFlagSchema,
  })
  .describe('interactions.json from clem-ts or any clemcore version (read-only, tolerant).');

export type InteractionsRead = z.infer<typeof InteractionsReadSchema>;
export type EventRead = z.infer<typeof EventReadSchema>;

export const ErrorFileReadSchema = z.looseObject({
  error: z.string().optional(),
  message: z.string().optional(),
  code: z.string().nullable().optional(),
  timestamp: z.string().optional(),
});
export type ErrorFileRead = z.infer<typeof ErrorFileReadSchema>;

/**
 * Reads a JSON file (tolerating Python's bare NaN/Infinity) and parses it with `schema`. Throws FileFormatError
 * naming the file for invalid JSON or a schema mismatch, and the file-system error if it cannot be read.
 */
export async function readJsonFile<T extends z.ZodType>(file: string, schema: T): Promise<z.infer<T>> {
  return parseJsonFile(schema, file, await readFile(file, 'utf8'), readJsonTolerant);
}

/** A player's role and model, from either players shape. */
export function playerInfo(entry: z.infer<typeof PlayerReadSchema> | undefined): { role: string; model: string } {
  if (entry === undefined) return { role: '', model: '' };
  if (typeof entry === 'string') return { role: '', model: entry };
  return { role: entry.game_role ?? '', model: entry.model_name ?? '' };
}
