import { Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './load.js';

/** One sequence to score: the log-probability of each token in `ids[from..to)` given the tokens before it. */
export interface ScoreRow {
  ids: number[];
  /** First scored position; at least 1 (the first token has no context). */
  from: number;
  /** One past the last scored position. */
  to: number;
}

/**
 * Natural-log probabilities of the scored tokens of every row, from ONE teacher-forced forward pass over the
 * batch: rows are right-padded (padding is masked out and comes after every real token, so a row's logits do
 * not depend on its batch mates), and position t's log-probability is the log-softmax of the logits at t−1,
 * gathered at token t. Returns one array per row, `to − from` long. Throws if a row scores position 0.
 */
export async function scoreRows(loaded: LoadedModel, rows: ScoreRow[]): Promise<number[][]> {
  for (const row of rows) {
    if (row.from < 1 && row.to > row.from) throw new Error('cannot score the first token of a sequence: it has no context');
  }
  const live = rows.filter((r) => r.to > r.from);
  if (live.length === 0) return rows.map(() => []);
  const width = Math.max(...live.map((r) => r.ids.length));
  const ids = new BigInt64Array(live.length * width).fill(BigInt(loaded.padId));
  const mask = new BigInt64Array(live.length * width);
  live.forEach((r, b) => {
    r.ids.forEach((id, t) => {
      ids[b * width + t] = BigInt(id);
      mask[b * width + t] = 1n;
    });
  });
  const out = (await loaded.model.forward({
    input_ids: new Tensor('int64', ids, [live.length, width]),
    attention_mask: new Tensor('int64', mask, [live.length, width]),
  })) as { logits: Tensor };
  const logits = out.logits.data as Float32Array;
  const vocab = out.logits.dims[2] ?? 0;
  const results = live.map((r, b) => {
    const result: number[] = [];
    for (let t = r.from; t < r.to; t++) {
      const offset = (b * width + t - 1) * vocab;
      result.push(logSoftmaxAt(logits.subarray(offset, offset + vocab), r.ids[t] as number));
    }
    return result;
  });
  let next = 0;
  return rows.map((r) => (r.to > r.from ? (results[next++] as number[]) : []));
}

/** log softmax(row)[index], computed stably in float64. */
function logSoftmaxAt(row: Float32Array, index: number): number {
  let m = -Infinity;
  for (const x of row) if (x > m) m = x;
  let z = 0;
  for (const x of row) z += Math.exp(x - m);
  return (row[index] as number) - m - Math.log(z);
}

/**
 * Rows of one score batch, capped so the logits tensor (rows × width × vocab float32) stays under about
 * `maxLogitBytes`: the size the batcher counts a job as is its length in tokens, against a budget in tokens.
 */
export function scoreTokenBudget(vocabSize: number, maxLogitBytes: number): number {
  return Math.max(1, Math.floor(maxLogitBytes / (4 * Math.max(1, vocabSize))));
}
