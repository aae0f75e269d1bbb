import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { GameInstanceSchema } from '../../registry/instances.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { JsonValueSchema } from '../../registry/json.js';
import { CompletedFileSchema, ErrorFileSchema, ExperimentFileSchema, RequestsFileSchema, RunFileSchema } from '../../registry/results-files.js';
import { ScoreSchema } from '../../registry/scores.js';

/** scores.json as the runner writes it: clemcore's new-API shape, every key present. */
export const ScoresFileSchema = z.strictObject({
  meta: z.record(z.string(), JsonValueSchema),
  players: z.record(z.string(), JsonValueSchema),
  player_models: z.record(z.string(), JsonValueSchema),
  'round scores': z.record(z.string(), z.record(z.string(), ScoreSchema)),
  'episode scores': z.record(z.string(), ScoreSchema),
});

function schemaFor(name: string): z.ZodType {
  if (name === 'instance.json') return GameInstanceSchema;
  if (name === 'interactions.json') return InteractionsSchema;
  if (name === 'scores.json') return ScoresFileSchema;
  if (name === 'completed.json') return CompletedFileSchema;
  if (name === 'error.json') return ErrorFileSchema;
  if (name === 'experiment.json') return ExperimentFileSchema;
  if (name === 'run.json') return RunFileSchema;
  if (/^player_\d+\.requests\.json$/.test(name)) return RequestsFileSchema;
  throw new Error(`unexpected file in the results folder: ${name}`);
}

/**
 * Reads every file under `dir`, parses it with strict JSON.parse (a NaN token fails) and the schema for its
 * name, and returns them by path relative to `dir` (sorted). Any other file (a leftover .tmp) throws, and so
 * does a lock left in `.locks/` (every lock is released when a run ends).
 */
export function readResults(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (name.endsWith('.lock')) throw new Error(`${relative(dir, path)}: a lock left behind`);
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
