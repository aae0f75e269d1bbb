import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { GameInstanceSchema } from '../../registry/instances.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { JsonValueSchema } from '../../registry/json.js';
import { ScoreSchema } from '../../registry/scores.js';

/** Test-side schemas of every file the runner writes; strict where the runner owns the format. */
export const CompletedSchema = z.strictObject({ timestamp: z.iso.datetime(), outcome: z.enum(['success', 'lose', 'aborted']) });
export const ErrorFileSchema = z.strictObject({
  timestamp: z.iso.datetime(),
  error: z.string(),
  message: z.string().min(1),
  code: z.string().nullable(),
  stack: z.string().nullable(),
});
export const RequestsFileSchema = z.strictObject({
  meta: z.strictObject({
    game_name: z.string(),
    experiment_name: z.string(),
    game_id: z.number().int(),
    player_name: z.string(),
    game_role: z.string(),
    model_name: z.string(),
    round_count: z.number().int().nullable(),
    completed: z.boolean(),
  }),
  calls: z.array(
    z.strictObject({
      round: z.number().int().nonnegative(),
      call: z.strictObject({ timestamp: z.iso.datetime(), manipulated_prompt_obj: JsonValueSchema, raw_response_obj: JsonValueSchema }),
      usage: z.strictObject({ input_tokens: z.number().int(), output_tokens: z.number().int() }),
      latency_ms: z.number().nonnegative(),
      cost_usd: z.number().nullable(),
      warnings: z.array(z.string()),
      cache: z
        .strictObject({
          hit: z.literal(true),
          created_at: z.iso.datetime(),
          usage: z.strictObject({ input_tokens: z.number().int(), output_tokens: z.number().int() }),
          latency_ms: z.number().nonnegative(),
          cost_usd: z.number().nullable(),
        })
        .optional(),
    }),
  ),
});
export const ScoresFileSchema = z.strictObject({
  meta: z.record(z.string(), JsonValueSchema),
  players: z.record(z.string(), JsonValueSchema),
  player_models: z.record(z.string(), JsonValueSchema),
  'round scores': z.record(z.string(), z.record(z.string(), ScoreSchema)),
  'episode scores': z.record(z.string(), ScoreSchema),
});
export const ExperimentFileSchema = z.looseObject({
  name: z.string(),
  game_name: z.string(),
  timestamp: z.iso.datetime(),
  player_models: z.array(z.string()),
});
export const RunFileSchema = z.strictObject({
  format_version: z.literal(1),
  current: z.looseObject({
    clem_version: z.string(),
    seed: z.number().int(),
    started_at: z.iso.datetime(),
    ended_at: z.iso.datetime().nullable(),
    player_models: z.array(z.string()),
    games: z.record(z.string(), z.looseObject({ game_path: z.string(), num_instances: z.number().int() })),
  }),
  history: z.array(JsonValueSchema),
});

function schemaFor(name: string): z.ZodType {
  if (name === 'instance.json') return GameInstanceSchema;
  if (name === 'interactions.json') return InteractionsSchema;
  if (name === 'scores.json') return ScoresFileSchema;
  if (name === 'completed.json') return CompletedSchema;
  if (name === 'error.json') return ErrorFileSchema;
  if (name === 'experiment.json') return ExperimentFileSchema;
  if (name === 'run.json') return RunFileSchema;
  if (/^player_\d+\.requests\.json$/.test(name)) return RequestsFileSchema;
  throw new Error(`unexpected file in the results folder: ${name}`);
}

/**
 * Reads every file under `dir`, parses it with strict JSON.parse (a NaN token fails) and the schema for its
 * name, and returns them by path relative to `dir` (sorted). Any other file (a leftover .tmp) throws.
 */
export function readResults(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const text = readFileSync(path, 'utf8');
        const parsed = schemaFor(basename(path)).safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(`${relative(dir, path)}: ${z.prettifyError(parsed.error)}`);
        out.set(relative(dir, path), parsed.data);
      }
    }
  };
  walk(dir);
  return out;
}

const VOLATILE = new Set(['timestamp', 'started_at', 'ended_at', 'latency_ms']);

/** A copy with the values that legitimately differ between runs (timestamps, latency) replaced by "*". */
export function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? '*' : withoutVolatile(v)]));
  return value;
}
