import { describe, expect, it } from 'vitest';
import { cosineLr, learnsNothing, warmupSteps } from './schedule.js';

describe('cosine schedule with warm-up (HF get_cosine_schedule_with_warmup)', () => {
  it('rounds warm-up steps up, as HF does', () => {
    expect(warmupSteps(25, 0.1)).toBe(3);
    expect(warmupSteps(10, 0)).toBe(0);
  });

  it('warms up linearly from 0, peaks after the warm-up, and ends at 0', () => {
    const lrs = Array.from({ length: 11 }, (_, s) => cosineLr(s, 1, 2, 10));
    expect(lrs[0]).toBe(0);
    expect(lrs[1]).toBe(0.5);
    expect(lrs[2]).toBe(1);
    expect(lrs[6]).toBeCloseTo(0.5, 12);
    expect(lrs[10]).toBeCloseTo(0, 12);
    for (let s = 3; s <= 10; s++) expect(lrs[s] as number).toBeLessThan(lrs[s - 1] as number);
  });

  it('starts at the peak without warm-up', () => {
    expect(cosineLr(0, 3e-4, 0, 100)).toBe(3e-4);
  });

  it('knows a run whose every step has learning rate 0', () => {
    expect(learnsNothing(1e-5, warmupSteps(1, 0.1), 1)).toBe(true);
    expect(learnsNothing(1e-5, 0, 1)).toBe(false);
    expect(learnsNothing(1e-5, warmupSteps(2, 0.1), 2)).toBe(false);
    expect(learnsNothing(1e-5, 5, 3)).toBe(false);
  });
});
