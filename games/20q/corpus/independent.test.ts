import { describe, expect, it } from 'vitest';
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
