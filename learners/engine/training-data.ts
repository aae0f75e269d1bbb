import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import type { ChatTokenizer } from '../../backends/transformers/index.js';
import { DatasetMessageSchema, readJsonLines } from '../datasets/index.js';
import type { LearnKind } from './train-settings.js';

import { PgRowSchema, TrainDpoRowSchema, TrainSftRowSchema, type PgRow } from './training-rows.js';

export { PgRowSchema, TrainDpoRowSchema, TrainSftRowSchema, type PgRow } from './training-rows.js';

/** One tokenized sequence: ids and the loss weight of each id as a target (0: not trained on). */
export interface SeqExample {
  ids: number[];
  /** Aligned with ids; 1 on assistant tokens (SFT, DPO), the row's weights (PG). Position 0 is never a target. */
  weights: number[];
  /** 1 where the token is trained on (weight may still be 0 or negative for PG). */
  mask: number[];
}

export type TrainingExample = { kind: 'seq'; seq: SeqExample } | { kind: 'pair'; chosen: SeqExample; rejected: SeqExample; ref: [number, number] | null };

export interface TrainingData {
  examples: TrainingExample[];
  /** Rows cut to maxLength. */
  truncated: number;
}

function cut(seq: SeqExample, maxLength: number): SeqExample {
  return seq.ids.length <= maxLength ? seq : { ids: seq.ids.slice(0, maxLength), weights: seq.weights.slice(0, maxLength), mask: seq.mask.slice(0, maxLength) };
}

/** Tokenizes `messages`, marking only the assistant replies at message index ≥ `fromMessage`. */
function tokenizeFrom(tok: ChatTokenizer, messages: z.infer<typeof DatasetMessageSchema>[], fromMessage: number): SeqExample {
  const t = tok.tokenize(messages);
  const mask = t.ids.map(() => 0);
  for (const span of t.spans) if (span.message >= fromMessage) for (let i = span.start; i < span.end; i++) mask[i] = 1;
  return { ids: t.ids, weights: [...mask], mask };
}

function pgExample(tok: ChatTokenizer, row: PgRow, where: string): SeqExample {
  const t = tok.tokenize(row.messages);
  const mask = [...t.assistantMask];
  const weights = t.ids.map(() => 0);
  if (row.weight !== undefined) mask.forEach((m, i) => (weights[i] = m === 1 ? (row.weight as number) : 0));
  else if (row.turn_weights !== undefined) {
    for (const span of t.spans) for (let i = span.start; i < span.end; i++) weights[i] = row.turn_weights[span.message] ?? 0;
  } else if (row.token_weights !== undefined) {
    const positions = mask.flatMap((m, i) => (m ? [i] : []));
    if (positions.length !== row.token_weights.length) {
      throw new ConfigError(`${where}: token_weights has ${row.token_weights.length} values but the base model's chat template gives ${positions.length} assistant tokens; use turn_weights or weight, or recompute the token weights with this tokenizer.`);
    }
    positions.forEach((p, k) => (weights[p] = row.token_weights?.[k] as number));
  }
  return { ids: t.ids, weights, mask };
}

/**
 * Reads and tokenizes a dataset file for `kind` through the base model's chat template. Throws
 * FileFormatError naming the file, line and field of a row that does not fit the format, and ConfigError when
 * the file holds no row or DPO rows carry reference log-probs only partly.
 */
export function readTrainingData(kind: LearnKind, file: string, tok: ChatTokenizer, maxLength: number): TrainingData {
  let truncated = 0;
  const fit = (s: SeqExample): SeqExample => {
    if (s.ids.length > maxLength) truncated++;
    return cut(s, maxLength);
  };
  let examples: TrainingExample[];
  if (kind === 'sft') {
    examples = readJsonLines(file, TrainSftRowSchema).map((r) => ({ kind: 'seq', seq: fit(tokenizeFrom(tok, r.messages, 0)) }));
  } else if (kind === 'pg') {
    examples = readJsonLines(file, PgRowSchema).map((r, i) => ({ kind: 'seq', seq: fit(pgExample(tok, r, `${file} (line ${i + 1})`)) }));
  } else {
    const rows = readJsonLines(file, TrainDpoRowSchema);
    const withRef = rows.filter((r) => r.ref_chosen_logps !== undefined && r.ref_rejected_logps !== undefined).length;
    if (withRef !== 0 && withRef !== rows.length) throw new ConfigError(`${file}: ${withRef} of ${rows.length} rows carry ref_chosen_logps/ref_rejected_logps; give them in every row or in none.`);
    examples = rows.map((r) => {
      const chosen = tokenizeFrom(tok, [...r.prompt, ...r.chosen], r.prompt.length);
      const rejected = tokenizeFrom(tok, [...r.prompt, ...r.rejected], r.prompt.length);
      if (chosen.ids.length > maxLength || rejected.ids.length > maxLength) truncated++;
      const ref: [number, number] | null = r.ref_chosen_logps !== undefined && r.ref_rejected_logps !== undefined ? [r.ref_chosen_logps, r.ref_rejected_logps] : null;
      return { kind: 'pair', chosen: cut(chosen, maxLength), rejected: cut(rejected, maxLength), ref };
    });
  }
  if (examples.length === 0) throw new ConfigError(`${file}: no rows to train on.`);
  return { examples, truncated };
}

/** The padded length an example needs (a pair: its longer side). */
export function exampleLength(e: TrainingExample): number {
  return e.kind === 'seq' ? e.seq.ids.length : Math.max(e.chosen.ids.length, e.rejected.ids.length);
}
