import { xoshiro128State } from '../../../base/rng.js';
import type { LossKind, TensorShape } from './spec.js';
import type { Precision } from './tape.js';

/** One tokenized sequence: the whole conversation's ids and which of them the loss trains on. */
export interface TrainRow {
  /** Token ids (prompt and completion), unpadded. */
  ids: ArrayLike<number>;
  /** Non-zero where `ids[t]` is a target (an assistant token), aligned with `ids`; position 0 is never a target. */
  mask: ArrayLike<number>;
}

/** A batch for one graph run. Rows are right-padded to the bucket's length by the host. */
export interface GraphBatch {
  rows: readonly TrainRow[];
  /**
   * sft/pg: the loss weight of each target token, aligned with `ids` (used as given: loss = −Σ w·log p).
   * Default: `rowWeights[b]`·mask / (number of target tokens in the batch), i.e. the mean over target tokens.
   */
  tokenWeights?: readonly ArrayLike<number>[];
  /** pg: one weight per row (a reward or advantage; negative pushes the row's log-probability down). Default 1. */
  rowWeights?: readonly number[];
  /** dpo: reference summed log-probs per row (chosen rows first, then rejected rows). */
  refLogps?: ArrayLike<number>;
  /** dpo: β of the sigmoid loss. Default 0.1. */
  beta?: number;
}

/** A host tensor ready to wrap in an ORT tensor. */
export interface HostTensor {
  type: 'float32' | 'float64' | 'int64' | 'bool';
  data: Float32Array | Float64Array | BigInt64Array | Uint8Array;
  dims: number[];
}

/** The bucket a batch runs in: static graph shapes. */
export interface Bucket {
  batchSize: number;
  seqLen: number;
  targetRows: number;
}

/** Additive mask value for a disallowed key (finite, so a fully masked row gives no NaN). */
const MASKED = -1e9;

function floats(precision: Precision, n: number): Float32Array | Float64Array {
  return precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** Positions (flat index of the predicting row, target id, row) of every target token, in row order. */
export function collectTargets(rows: readonly TrainRow[], seqLen: number): { flatRow: number[]; id: number[]; row: number[]; pos: number[] } {
  const out = { flatRow: [] as number[], id: [] as number[], row: [] as number[], pos: [] as number[] };
  rows.forEach((r, b) => {
    for (let t = 1; t < r.ids.length; t++) {
      if ((r.mask[t] ?? 0) === 0) continue;
      out.flatRow.push(b * seqLen + t - 1);
      out.id.push(r.ids[t] as number);
      out.row.push(b);
      out.pos.push(t);
    }
  });
  return out;
}

/**
 * The feeds of one run (everything but the parameters and dropout masks): ids, the causal + padding bias, the target rows and the loss head's inputs. Throws when a row is
 * longer than the bucket, has more targets than `bucket.targetRows`, or the loss's inputs are missing.
 */
export function batchFeeds(loss: LossKind, precision: Precision, bucket: Bucket, batch: GraphBatch): Record<string, HostTensor> {
  const { batchSize: B, seqLen: S, targetRows: T } = bucket;
  const rows = batch.rows;
  if (rows.length > B) throw new Error(`batch has ${rows.length} rows, bucket holds ${B}`);
  const ftype = precision === 'float64' ? 'float64' : 'float32';
  const ids = new BigInt64Array(B * S);
  const bias = floats(precision, B * S * S);
  for (let b = 0; b < B; b++) {
    const r = rows[b];
    const len = r?.ids.length ?? 0;
    if (len > S) throw new Error(`row ${b} has ${len} tokens, more than the bucket length ${S}`);
    for (let s = 0; s < len; s++) ids[b * S + s] = BigInt(r?.ids[s] as number);
    for (let s = 0; s < S; s++) {
      // query s sees keys 0..s of the real tokens (padding queries see every real key; their outputs are unused)
      for (let k = 0; k < S; k++) bias[(b * S + s) * S + k] = k <= s && k < len ? 0 : MASKED;
    }
  }
  const targets = collectTargets(rows, S);
  const n = targets.flatRow.length;
  if (n > T) throw new Error(`batch has ${n} target tokens, bucket holds ${T}`);
  const all = T === B * S;
  const targetIds = new BigInt64Array(T);
  const targetSeq = floats(precision, B * T);
  const slot = (k: number) => (all ? (targets.flatRow[k] as number) : k);
  for (let k = 0; k < n; k++) {
    targetIds[slot(k)] = BigInt(targets.id[k] as number);
    targetSeq[(targets.row[k] as number) * T + slot(k)] = 1;
  }
  const feeds: Record<string, HostTensor> = {
    input_ids: { type: 'int64', data: ids, dims: [B * S] },
    attn_bias: { type: ftype, data: bias, dims: [B, 1, S, S] },
    target_ids: { type: 'int64', data: targetIds, dims: [T] },
    target_seq: { type: ftype, data: targetSeq, dims: [B, T] },
  };
  if (!all) {
    // unused slots read row 0; their weight and gradient are 0, and the backward's ScatterND adds, so they change nothing
    const tr = new BigInt64Array(T);
    for (let k = 0; k < T; k++) tr[k] = BigInt(k < n ? (targets.flatRow[k] as number) : 0);
    feeds.target_rows = { type: 'int64', data: tr, dims: [T] };
  }
  if (loss === 'sft' || loss === 'pg') feeds.target_weights = { type: ftype, data: tokenWeights(batch, targets, T, all, precision), dims: [T] };
  if (loss === 'dpo') {
    if (!batch.refLogps || batch.refLogps.length !== B) throw new Error(`DPO needs refLogps for all ${B} rows (chosen rows first)`);
    if (rows.length !== B) throw new Error(`DPO needs exactly ${B} rows (no padding rows)`);
    const ref = floats(precision, B);
    for (let b = 0; b < B; b++) ref[b] = batch.refLogps[b] as number;
    feeds.ref_logps = { type: ftype, data: ref, dims: [B] };
    feeds.dpo_beta = { type: ftype, data: precision === 'float64' ? Float64Array.of(batch.beta ?? 0.1) : Float32Array.of(batch.beta ?? 0.1), dims: [] };
  }
  return feeds;
}

function tokenWeights(batch: GraphBatch, targets: ReturnType<typeof collectTargets>, T: number, all: boolean, precision: Precision): Float32Array | Float64Array {
  const w = floats(precision, T);
  const n = targets.flatRow.length;
  for (let k = 0; k < n; k++) {
    const b = targets.row[k] as number;
    const slot = all ? (targets.flatRow[k] as number) : k;
    const given = batch.tokenWeights?.[b];
    w[slot] = given ? (given[targets.pos[k] as number] ?? 0) : (batch.rowWeights?.[b] ?? 1) / n;
  }
  return w;
}

/**
 * LoRA dropout masks (bool [N, in], true where the value is kept) drawn from a generator seeded by `seed`:
 * the same seed gives the same masks, so a trainer that derives the seed from (run seed, step) resumes
 * bit-identically. An element is dropped when a uniform 32-bit number falls below round(p·2³²). The
 * comparison is bit-sliced: each 32-bit draw of xoshiro128** gives one bit to each of 32 elements, compared
 * with the threshold's bits from the top and stopping once all 32 are decided (about 6 draws instead of 32),
 * because tens of millions of decisions per step through a general-purpose generator cost more than a tenth
 * of the step. `reuse` (the previous result for the same shapes) is refilled in place.
 */
export function dropoutMasks(shapes: readonly TensorShape[], p: number, seed: number, reuse?: Record<string, HostTensor>): Record<string, HostTensor> {
  const state = new Int32Array(xoshiro128State(seed).buffer); // the same bits, read signed as the bit-sliced loop wants
  const threshold = Math.min(2 ** 32 - 1, Math.round(p * 2 ** 32)) >>> 0;
  const out: Record<string, HostTensor> = {};
  for (const s of shapes) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const old = reuse?.[s.name]?.data;
    const m = old instanceof Uint8Array && old.length === n ? old : new Uint8Array(n);
    fillMask(m, state, threshold);
    out[s.name] = { type: 'bool', data: m, dims: [...s.shape] };
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Byte b's 8 bits as 8 bytes of 0/1, in two little-endian 32-bit words. */
const SPREAD = (() => {
  const t = new Uint32Array(512);
  for (let b = 0; b < 256; b++) {
    for (let k = 0; k < 4; k++) {
      t[2 * b] = (t[2 * b] as number) | (((b >> k) & 1) << (8 * k));
      t[2 * b + 1] = (t[2 * b + 1] as number) | (((b >> (k + 4)) & 1) << (8 * k));
    }
  }
  return t;
})();

/**
 * Fills `m` with 1 (kept) or 0 (dropped: a uniform 32-bit number below `threshold`) from the xoshiro128**
 * state (advanced in place), 32 elements per group of draws; the last partial group uses the same draws.
 */
function fillMask(m: Uint8Array, state: Int32Array, threshold: number): void {
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  const n = m.length;
  const aligned = LITTLE_ENDIAN && m.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(m.buffer, m.byteOffset, n >>> 2) : null;
  for (let base = 0; base < n; base += 32) {
    // undecided lanes (equal to the threshold so far) and lanes decided "below" (dropped)
    let undecided = -1;
    let below = 0;
    for (let bit = 31; bit >= 0 && undecided !== 0; bit--) {
      const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      if ((threshold >>> bit) & 1) {
        below |= undecided & ~r;
        undecided &= r;
      } else undecided &= ~r;
    }
    const kept = ~below;
    if (words && base + 32 <= n) {
      const o = base >>> 2;
      for (let k = 0; k < 4; k++) {
        const byte = (kept >>> (8 * k)) & 0xff;
        words[o + 2 * k] = SPREAD[2 * byte] as number;
        words[o + 2 * k + 1] = SPREAD[2 * byte + 1] as number;
      }
    } else {
      for (let k = 0; k < 32 && base + k < n; k++) m[base + k] = (kept >>> k) & 1;
    }
  }
  state.set([a, b, c, d]);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

