import { createRng, hashSeed } from '../../base/rng.js';

/**
 * Fixed graph shapes: sequence lengths are bucketed into a few padded sizes (one ONNX session each) and
 * batches are drawn within a bucket. The order of every epoch is a pure function of (seed, epoch), so a
 * resumed run replays exactly the batches an uninterrupted run would have seen, with no generator state to save.
 */

/** The smallest padded length; shorter rows are padded to it. */
export const MIN_BUCKET = 16;

/**
 * Padded lengths for rows of the given lengths: powers of two from 16 (and `maxLength` itself on top), only
 * those some row needs, at most `maxBuckets` of them (the smallest are merged upward). Sorted ascending.
 */
export function chooseBuckets(lengths: readonly number[], maxLength: number, maxBuckets: number): number[] {
  const fit = (n: number): number => {
    let b = MIN_BUCKET;
    while (b < n && b < maxLength) b *= 2;
    return Math.min(b, maxLength);
  };
  const needed = [...new Set(lengths.map((n) => fit(Math.min(n, maxLength))))].sort((a, b) => a - b);
  return needed.slice(Math.max(0, needed.length - Math.max(1, maxBuckets)));
}

/** The bucket a row of `length` goes to (the smallest that holds it; the largest for longer rows). */
export function bucketOf(length: number, buckets: readonly number[]): number {
  return buckets.find((b) => b >= length) ?? (buckets[buckets.length - 1] as number);
}

/** One micro-batch: indices of examples (at most `batchSize`; fewer only in a bucket's last batch) and its padded length. */
export interface MicroBatch {
  seqLen: number;
  rows: number[];
}

/**
 * The micro-batches of epoch `epoch`: examples shuffled with a generator seeded by (seed, epoch), dealt into
 * their buckets in that order, cut into batches of `batchSize`, and the batches shuffled again so buckets
 * interleave. Every example appears exactly once.
 */
export function epochBatches(lengths: readonly number[], buckets: readonly number[], batchSize: number, seed: number, epoch: number): MicroBatch[] {
  const rng = createRng(hashSeed(seed, 'epoch-order', epoch));
  const order = rng.shuffle(lengths.map((_, i) => i));
  const byBucket = new Map<number, number[]>(buckets.map((b) => [b, []]));
  for (const i of order) byBucket.get(bucketOf(lengths[i] as number, buckets))?.push(i);
  const batches: MicroBatch[] = [];
  for (const [seqLen, rows] of byBucket) {
    for (let at = 0; at < rows.length; at += batchSize) batches.push({ seqLen, rows: rows.slice(at, at + batchSize) });
  }
  return rng.shuffle(batches);
}

/** Where optimizer step `step` (0-based, over the whole run) takes its micro-batches from. */
export interface StepPlan {
  epoch: number;
  /** The micro-batches summed into this step (1 … gradAccum of them). */
  batches: MicroBatch[];
}

/**
 * A run's step plan: epochs of `stepsPerEpoch(...)` steps each, `gradAccum` micro-batches per step (the last
 * step of an epoch takes what is left). `epochBatchesOf` is memoised by the caller if it is expensive.
 */
export function stepsPerEpoch(batchesPerEpoch: number, gradAccum: number): number {
  return Math.ceil(batchesPerEpoch / gradAccum);
}

export function planStep(step: number, batchesOfEpoch: (epoch: number) => MicroBatch[], gradAccum: number, perEpoch: number): StepPlan {
  const epoch = Math.floor(step / perEpoch);
  const within = step % perEpoch;
  const all = batchesOfEpoch(epoch);
  return { epoch, batches: all.slice(within * gradAccum, (within + 1) * gradAccum) };
}
