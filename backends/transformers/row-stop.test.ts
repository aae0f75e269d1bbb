import { describe, expect, it } from 'vitest';
import { RowStopCriteria } from './row-stop.js';

const decode = (ids: number[]) => ids.map((i) => String.fromCharCode(96 + i)).join(''); // 1 → a, 2 → b, …

describe('RowStopCriteria', () => {
  it('keeps a row done after EOS, a stop string or its own limit, while other rows go on', () => {
    const c = new RowStopCriteria(2, [{ maxTokens: 10, stop: [] }, { maxTokens: 10, stop: ['cd'] }, { maxTokens: 3, stop: [] }, { maxTokens: 10, stop: [] }], new Set([0]), decode);
    const prompt = [9, 9];
    const steps = [
      [1, 3, 1, 1],
      [0, 4, 1, 1], // row 0: EOS; row 1: "cd" → stop
      [5, 5, 1, 1], // row 0 goes on generating, but stays done; row 2 reaches its limit of 3
      [5, 5, 1, 1],
    ];
    const rows: number[][] = [[...prompt], [...prompt], [...prompt], [...prompt]];
    const done: boolean[][] = [];
    for (const step of steps) {
      step.forEach((t, r) => rows[r]?.push(t));
      done.push(c._call(rows));
    }
    expect(done).toEqual([
      [false, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, false],
    ]);
    expect(c.ends).toEqual([{ length: 1, reason: 'eos' }, { length: 2, reason: 'stop' }, { length: 3, reason: 'length' }, undefined]);
  });

  it('ends the rows of an aborted job at the next step', () => {
    const controller = new AbortController();
    const c = new RowStopCriteria(0, [{ maxTokens: 10, stop: [], signal: controller.signal }, { maxTokens: 10, stop: [] }], new Set(), decode);
    expect(c._call([[1], [1]])).toEqual([false, false]);
    controller.abort();
    expect(c._call([[1, 2], [1, 2]])).toEqual([true, false]);
    expect(c.ends[0]).toEqual({ length: 2, reason: 'aborted' });
  });
});
