import { WORDS, type WordEntry } from '../words.js';
import { INDEPENDENT_GROUPS, type IndependentFile, type IndependentItem } from './independent-schema.js';
import { evaluateItem, measureGroups, type Figures, type ItemResult } from './measure.js';

/**
 * The half of the independent set an item belongs to: `dev` (odd number in its id) may be looked at item by item
 * to find failure classes; `blind` (even number) is only ever reported as figures, so it measures what the
 * fixes generalise to.
 */
export function independentHalf(item: Pick<IndependentItem, 'id'>): 'dev' | 'blind' {
  return Number(item.id.slice(-3)) % 2 === 1 ? 'dev' : 'blind';
}

/**
 * Reads, maps and checks every item of the independent set as measure.ts does for the corpus, and returns the
 * figures per group for the whole set (`independent`) and for each half (`independent dev`, `independent blind`).
 */
export function measureIndependent(set: IndependentFile, words: readonly WordEntry[] = WORDS): { figures: Figures[]; results: ItemResult<IndependentItem>[] } {
  const results = set.items.map((item) => evaluateItem(item, words));
  const group = (i: IndependentItem) => i.group;
  const figures = [
    ...measureGroups(results, 'independent', INDEPENDENT_GROUPS, group),
    ...measureGroups(results.filter((r) => independentHalf(r.item) === 'dev'), 'independent dev', INDEPENDENT_GROUPS, group),
    ...measureGroups(results.filter((r) => independentHalf(r.item) === 'blind'), 'independent blind', INDEPENDENT_GROUPS, group),
  ];
  return { figures, results };
}
