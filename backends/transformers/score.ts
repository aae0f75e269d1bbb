import { Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './load.js';
import type { ScoredReply } from '../chat-spans.js';

/** One sequence to score: the log-probability of each token in `ids[from..to)` given the tokens before it (`from` ≥ 1). */
export type ScoreRow = ScoredReply;

/**
 * Natural-log probabilities of the scored tokens of every row (position t: the log-softmax of the logits at t−1,
 * gathered at token t). Rows that share their prompt (the ids before `from`, as the k candidates of one state or
 * DPO's chosen and rejected do) are scored with the prompt run once: one forward over the prompt, then one over
 * every row's continuation with the prompt's key/value cache repeated across the rows. The other rows run as one
 * right-padded forward (padding is masked and comes after every real token, so a row's logits do not depend on its
 * batch mates). Returns one array per row, `to − from` long. Throws if a row scores position 0.
 */
export async function scoreRows(loaded: LoadedModel, rows: ScoreRow[]): Promise<number[][]> {
  for (const row of rows) {
    if (row.from < 1 && row.to > row.from) throw new Error('cannot score the first token of a sequence: it has no context');
  }
  const results: number[][] = rows.map(() => []);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.to <= r.from) return;
    const key = r.ids.slice(0, r.from).join(',');
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const singles: number[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) {
      singles.push(...members);
      continue;
    }
    const scored = await scoreWithSharedPrompt(loaded, members.map((i) => rows[i] as ScoreRow));
    members.forEach((i, k) => (results[i] = scored[k] as number[]));
  }
  if (singles.length > 0) {
    const scored = await scorePadded(loaded, singles.map((i) => rows[i] as ScoreRow));
    singles.forEach((i, k) => (results[i] = scored[k] as number[]));
  }
  return results;
}

function int64(data: BigInt64Array, dims: number[]): Tensor {
  return new Tensor('int64', data, dims);
}

/** Rows of different lengths in one right-padded forward pass. */
async function scorePadded(loaded: LoadedModel, rows: ScoreRow[]): Promise<number[][]> {
  const width = Math.max(...rows.map((r) => r.ids.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(loaded.padId));
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((r, b) => {
    r.ids.forEach((id, t) => {
      ids[b * width + t] = BigInt(id);
      mask[b * width + t] = 1n;
    });
  });
  const out = (await loaded.model.forward({ input_ids: int64(ids, [rows.length, width]), attention_mask: int64(mask, [rows.length, width]) })) as { logits: Tensor };
  const logits = out.logits.data as Float32Array;
  const vocab = out.logits.dims[2] ?? 0;
  return rows.map((r, b) => {
    const result: number[] = [];
    for (let t = r.from; t < r.to; t++) {
      const offset = (b * width + t - 1) * vocab;
      result.push(logSoftmaxAt(logits.subarray(offset, offset + vocab), r.ids[t] as number));
    }
    return result;
  });
}

/** A [1, …] tensor repeated `n` times along the batch axis. */
function repeatBatch(t: Tensor, n: number): Tensor {
  const data = t.data as unknown as { length: number; constructor: new (length: number) => { set(src: unknown, offset: number): void } };
  const out = new data.constructor(data.length * n);
  for (let i = 0; i < n; i++) out.set(data, i * data.length);
  return new Tensor(t.type, out as unknown as Float32Array, [n, ...t.dims.slice(1)]);
}

/** Rows sharing the prompt `ids[0..from)`: the prompt runs once, then every continuation on its key/value cache. */
async function scoreWithSharedPrompt(loaded: LoadedModel, rows: ScoreRow[]): Promise<number[][]> {
  const prompt = (rows[0] as ScoreRow).ids.slice(0, (rows[0] as ScoreRow).from);
  const P = prompt.length;
  const first = (await loaded.model.forward({
    input_ids: int64(BigInt64Array.from(prompt.map(BigInt)), [1, P]),
    attention_mask: int64(new BigInt64Array(P).fill(1n), [1, P]),
  })) as Record<string, Tensor>;
  const promptLogits = (first.logits as Tensor).data as Float32Array;
  const vocab = (first.logits as Tensor).dims[2] ?? 0;
  const lastPromptRow = promptLogits.subarray((P - 1) * vocab, P * vocab);
  const past: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(first)) if (name.startsWith('present')) past[name.replace('present', 'past_key_values')] = repeatBatch(t, rows.length);
  const M = Math.max(...rows.map((r) => r.ids.length - P));
  const ids = new BigInt64Array(rows.length * M).fill(BigInt(loaded.padId));
  const mask = new BigInt64Array(rows.length * (P + M));
  rows.forEach((r, b) => {
    r.ids.slice(P).forEach((id, j) => (ids[b * M + j] = BigInt(id)));
    mask.fill(1n, b * (P + M), b * (P + M) + r.ids.length);
  });
  const out = (await loaded.model.forward({
    input_ids: int64(ids, [rows.length, M]),
    attention_mask: int64(mask, [rows.length, P + M]),
    past_key_values: past,
  })) as { logits: Tensor };
  const logits = out.logits.data as Float32Array;
  return rows.map((r, b) => {
    const result: number[] = [];
    for (let t = r.from; t < r.to; t++) {
      // The logits before token t: the prompt's last position for the first continuation token, else the row's own.
      const row = t === P ? lastPromptRow : logits.subarray((b * M + t - P - 1) * vocab, (b * M + t - P) * vocab);
      result.push(logSoftmaxAt(row, r.ids[t] as number));
    }
    return result;
  });
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
