import { describe, expect, it } from 'vitest';
import { measureIndependent } from './independent-measure.js';
import { INDEPENDENT_GROUPS, IndependentFileSchema, loadIndependentSet } from './independent-schema.js';

const set = loadIndependentSet();

describe('the independent held-out set (independent.json)', () => {
  it('holds at least 600 items, every group, every source used, labels for answerable items', () => {
    expect(set.items.length).toBeGreaterThanOrEqual(600);
    for (const group of INDEPENDENT_GROUPS) expect([group, set.items.filter((i) => i.group === group).length >= 40]).toEqual([group, true]);
    const used = new Set(set.items.map((i) => i.source));
    expect(Object.keys(set.sources).filter((s) => !used.has(s))).toEqual([]);
    expect(set.items.filter((i) => i.group === 'wins' && i.wins_for.length === 0).map((i) => i.id)).toEqual([]);
  });

  it('refuses a label for a word that is not one of the 158, and a win without a yes', () => {
    const item = { ...set.items[0], answers: { Pear: 'yes' } };
    expect(IndependentFileSchema.safeParse({ ...set, items: [item] }).success).toBe(false);
    const win = { ...set.items[0], answers: { Cat: 'no' }, wins_for: ['Cat'] };
    expect(IndependentFileSchema.safeParse({ ...set, items: [win] }).success).toBe(false);
  });
});

describe('the mapper and the win rule on the independent set (floors a little under the figures in games/20q/README.md)', () => {
  const { figures } = measureIndependent(set);
  const row = (split: string) => figures.find((f) => f.split === split && f.group === 'all')!;
  const rate = (n: number, d: number) => (d === 0 ? 1 : n / d);

  it.each([
    // split, mapped, correct when mapped, win rule, off-task recognised, false wins at most
    ['independent', 0.94, 0.97, 0.98, 0.89, 0],
    ['independent blind', 0.9, 0.96, 0.97, 0.8, 0],
  ] as const)('%s: mapped >= %d, correct >= %d, win rule >= %d, off-task >= %d, false wins <= %d', (split, mapped, correct, wins, offTask, falseWins) => {
    const f = row(split);
    expect(rate(f.mapped, f.answerable)).toBeGreaterThanOrEqual(mapped);
    expect(rate(f.correct, f.pairs)).toBeGreaterThanOrEqual(correct);
    expect(rate(f.winsRecognised, f.winTurns)).toBeGreaterThanOrEqual(wins);
    expect(rate(f.offTaskRecognised, f.offTask)).toBeGreaterThanOrEqual(offTask);
    expect(f.falseWins).toBeLessThanOrEqual(falseWins);
    expect(f.falseOffTask).toBe(0);
    // kb-oracle must beat a constant "No." by far
    expect(rate(f.oracleCorrect, f.oraclePairs) - rate(f.constantNoCorrect, f.oraclePairs)).toBeGreaterThan(0.3);
  });
});
