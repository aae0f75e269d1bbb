import { describe, expect, it } from 'vitest';
import { bucketOf, chooseBuckets, epochBatches, planStep, stepsPerEpoch } from './batching.js';

describe('length buckets', () => {
  it('uses the powers of two the rows need, capped by maxLength, at most maxBuckets', () => {
    expect(chooseBuckets([5, 17, 30, 100], 512, 4)).toEqual([16, 32, 128]);
    expect(chooseBuckets([5, 17, 30, 100, 300], 512, 2)).toEqual([128, 512]);
    expect(chooseBuckets([700, 3000], 1000, 4)).toEqual([1000]);
    expect(bucketOf(20, [16, 32, 128])).toBe(32);
    expect(bucketOf(999, [16, 32])).toBe(32);
  });
});

describe('epoch order', () => {
  const lengths = [10, 40, 12, 33, 70, 15, 90, 14, 36, 11, 60];
  const buckets = chooseBuckets(lengths, 128, 4);

  it('puts every row once into a batch of its bucket, and is a pure function of (seed, epoch)', () => {
    const a = epochBatches(lengths, buckets, 2, 7, 0);
    expect(a.flatMap((b) => b.rows).sort((x, y) => x - y)).toEqual(lengths.map((_, i) => i));
    for (const b of a) for (const r of b.rows) expect(bucketOf(lengths[r] as number, buckets)).toBe(b.seqLen);
    expect(epochBatches(lengths, buckets, 2, 7, 0)).toEqual(a);
    expect(epochBatches(lengths, buckets, 2, 7, 1)).not.toEqual(a);
    expect(epochBatches(lengths, buckets, 2, 8, 0)).not.toEqual(a);
  });

  it('plans steps of gradAccum micro-batches, the last of an epoch taking the rest', () => {
    const of = (e: number) => epochBatches(lengths, buckets, 2, 7, e);
    const n = of(0).length;
    const per = stepsPerEpoch(n, 2);
    expect(per).toBe(Math.ceil(n / 2));
    const first = planStep(0, of, 2, per);
    expect(first).toEqual({ epoch: 0, batches: of(0).slice(0, 2) });
    const last = planStep(per - 1, of, 2, per);
    expect(last.batches.length).toBe(n - 2 * (per - 1));
    expect(planStep(per, of, 2, per)).toEqual({ epoch: 1, batches: of(1).slice(0, 2) });
  });
});
