import { writeJsonAtomic } from '../../base/atomic.js';
import { type DpoRow, DpoRowSchema, OpenAIPreferenceRowSchema } from './formats.js';
import { z } from 'zod';
import { DATASET_FORMATS } from './formats.js';
import type { DatasetFormat } from './formats.js';
import type { DpoState } from './dpo-pairs.js';
import type { JournalEntry } from './journal.js';
import { writeJsonLines } from './jsonl.js';
import type { DatasetPaths } from './output.js';
import { splitGroups } from './split.js';

export const DpoSummarySchema = z.strictObject({
  kind: z.literal('dpo'),
  game: z.string(),
  role: z.string(),
  reward: z.string(),
  policy: z.string(),
  ref_model: z.string().nullable(),
  format: z.enum(DATASET_FORMATS),
  k: z.number().int(),
  min_gap: z.number(),
  states: z.number().int().describe('Player states the run covered.'),
  pairs: z.number().int().describe('States that gave a pair.'),
  skipped: z.record(z.string(), z.number().int()).describe('States without a pair, by reason.'),
  train: z.number().int(),
  validation: z.number().int(),
  mean_score_chosen: z.number().nullable(),
  mean_score_rejected: z.number().nullable(),
  seconds_per_state: z.number().nullable().describe('Mean seconds of sampling, scoring and reference per state (journal).'),
  seconds_per_pair: z.number().nullable().describe('Seconds of all states divided by the pairs they gave.'),
  files: z.strictObject({ train: z.string(), validation: z.string(), journal: z.string() }),
});
export type DpoSummary = z.infer<typeof DpoSummarySchema>;


/** What the dataset files say about the run that made them. */
export interface DpoFileOptions {
  game: string;
  role: string;
  reward: string;
  k?: number;
  minGap?: number;
  format?: DatasetFormat;
  validationFraction?: number;
  seed?: number;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Writes the dataset from the journal alone, in state order (never completion order): the split is decided over the
 * instance keys of every state (not only those with pairs), so it does not depend on which states gave pairs or
 * when. Writes train, validation and the summary atomically and returns the summary.
 */
export function writeDpoFiles(
  o: DpoFileOptions,
  states: readonly DpoState[],
  journal: ReadonlyMap<string, JournalEntry>,
  paths: DatasetPaths,
  names: { policy: string; ref: string | null },
): DpoSummary {
  const split = splitGroups(
    states.map((s) => s.metadata.instance_key),
    o.validationFraction ?? 0.1,
    o.seed ?? 0,
  );
  const entries = states.map((s) => journal.get(s.id)).filter((e): e is JournalEntry => e !== undefined);
  const rows: DpoRow[] = entries.flatMap((e) => (e.pair === null ? [] : [{ ...e.pair, metadata: { ...e.pair.metadata, split: split.get(e.pair.metadata.instance_key) ?? 'train' } }]));
  const side = (s: 'train' | 'validation') => rows.filter((r) => r.metadata.split === s);
  for (const s of ['train', 'validation'] as const) {
    if ((o.format ?? 'trl') === 'trl') writeJsonLines(paths[s], DpoRowSchema, side(s));
    else
      writeJsonLines(
        paths[s],
        OpenAIPreferenceRowSchema,
        side(s).map((r) => ({ input: { messages: r.prompt }, preferred_output: r.chosen, non_preferred_output: r.rejected })),
      );
  }
  const skipped: Record<string, number> = {};
  for (const e of entries) if (e.skipped !== null) {
    // journals of older versions wrote the gap itself into the reason
    const reason = e.skipped.replace(/^reward gap \S+ is below the minimum (\S+)$/, 'reward gap below --min-gap $1');
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  }
  const seconds = entries.reduce((a, e) => a + e.seconds, 0);
  const summary: DpoSummary = {
    kind: 'dpo',
    game: o.game,
    role: o.role,
    reward: o.reward,
    policy: names.policy,
    ref_model: names.ref,
    format: o.format ?? 'trl',
    k: o.k ?? 4,
    min_gap: o.minGap ?? 0.02,
    states: states.length,
    pairs: rows.length,
    skipped,
    train: side('train').length,
    validation: side('validation').length,
    mean_score_chosen: mean(rows.map((r) => r.score_chosen)),
    mean_score_rejected: mean(rows.map((r) => r.score_rejected)),
    seconds_per_state: entries.length === 0 ? null : seconds / entries.length,
    seconds_per_pair: rows.length === 0 ? null : seconds / rows.length,
    files: { train: paths.train, validation: paths.validation, journal: paths.journal },
  };
  writeJsonAtomic(paths.summary, DpoSummarySchema.parse(summary));
  return summary;
}
