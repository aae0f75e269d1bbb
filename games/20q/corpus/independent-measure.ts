import { WORDS, type WordEntry } from '../words.js';
import { INDEPENDENT_GROUPS, INDEPENDENT_SETS, type IndependentFile, type IndependentItem, type IndependentSetSpec } from './independent-schema.js';
import { evaluateItem, measureGroups, type Figures, type ItemResult } from './measure.js';

/**
 * The half of a halved independent set an item belongs to: `dev` (odd number in its id) may be looked at item by item
 * to find failure classes; `blind` (even number) is only ever reported as figures, so it measures what the fixes
 * generalise to. Meaningful only for a set with `halves: true` (a set without halves is blind as a whole).
 */
export function independentHalf(item: Pick<IndependentItem, 'id'>): 'dev' | 'blind' {
  return Number(item.id.slice(-3)) % 2 === 1 ? 'dev' : 'blind';
}

/**
 * Reads, maps and checks every item of an independent set as measure.ts does for the corpus, and returns the figures
 * per group for the whole set (split `spec.name`, e.g. `independent`) and, for a set with halves, for each half
 * (`<name> dev`, `<name> blind`). `spec` defaults to the first set (`independent.json`).
 */
export function measureIndependent(
  set: IndependentFile,
  words: readonly WordEntry[] = WORDS,
  spec: Pick<IndependentSetSpec, 'name' | 'halves'> = INDEPENDENT_SETS[0],
): { figures: Figures[]; results: ItemResult<IndependentItem>[] } {
  const results = set.items.map((item) => evaluateItem(item, words));
  const group = (i: IndependentItem) => i.group;
  const figures = measureGroups(results, spec.name, INDEPENDENT_GROUPS, group);
  if (spec.halves)
    for (const half of ['dev', 'blind'] as const)
      figures.push(...measureGroups(results.filter((r) => independentHalf(r.item) === half), `${spec.name} ${half}`, INDEPENDENT_GROUPS, group));
  return { figures, results };
}
