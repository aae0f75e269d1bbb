import { KB, type KnowledgeBase } from './kb.js';
import { kbAnswer, type Mapping } from './question-mapper.js';

/** Binary entropy H_b(p) in bits; 0 at p = 0 or 1. */
export function binaryEntropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/**
 * Expected information gain in bits of a yes/no question with deterministic answers over `total` equally
 * likely candidates of which `yes` answer yes: H_b(yes / total). Null when there are no candidates.
 */
export function expectedInformationGain(yes: number, total: number): number | null {
  if (total <= 0 || yes < 0 || yes > total) return null;
  return binaryEntropy(yes / total);
}

/** Realised gain in bits when the candidates go from `before` to `after`: log2(before / after); null if either is 0. */
export function realisedInformationGain(before: number, after: number): number | null {
  if (before <= 0 || after <= 0 || after > before) return null;
  return Math.log2(before / after);
}

/** The candidates the KB answers yes for; null when the KB cannot answer the question. */
export function yesCandidates(mapping: Mapping, candidates: readonly string[], kb: KnowledgeBase = KB): string[] | null {
  if (mapping.kind === 'unmapped') return null;
  return candidates.filter((w) => kbAnswer(mapping, w, kb) === true);
}

/**
 * The candidates still consistent after `answer`: unchanged for an unmapped question or a "maybe".
 */
export function filterCandidates(mapping: Mapping, answer: 'yes' | 'no' | 'maybe', candidates: readonly string[], kb: KnowledgeBase = KB): string[] {
  if (mapping.kind === 'unmapped' || answer === 'maybe') return [...candidates];
  const want = answer === 'yes';
  return candidates.filter((w) => kbAnswer(mapping, w, kb) === want);
}

/**
 * F(n): the least expected number of questions to win against n equally likely candidates when any split
 * can be asked and a win needs a "yes" to a guess naming the word (F(1) = 1). F(n) = 1 + min(guess:
 * (n-1)/n F(n-1), split k: k/n F(k) + (n-k)/n F(n-k)). A lower bound for any player with a finite question
 * set; `kb-greedy` uses it to decide when guessing beats asking. Exact for n ≤ `max`.
 */
export function optimalExpectedQuestions(max: number): number[] {
  const f = [0, 1];
  for (let n = 2; n <= max; n++) {
    let best = 1 + ((n - 1) / n) * (f[n - 1] as number);
    for (let k = 1; k <= n / 2; k++) best = Math.min(best, 1 + (k / n) * (f[k] as number) + ((n - k) / n) * (f[n - k] as number));
    f.push(best);
  }
  return f;
}
