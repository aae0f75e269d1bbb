import type { Mapping, PartMapping } from './mapping.js';

/**
 * Two or more things joined by "or"/"and" ("Is it made of wood or metal?", "Is it small and light?"): each
 * conjunct is mapped alone, elided words are filled in from the first conjunct ("used for cooking or
 * [used for] eating", "bigger [than a breadbox] or smaller than a breadbox"), and the parts are joined as a
 * person reads them: "or" is either-is-true, "and" is both-are-true. The parts nearest the coordinator are
 * the ones joined; the other parts are shared ("a red or yellow fruit": a fruit, red or yellow).
 */

export interface Conjuncts {
  op: 'or' | 'and';
  /** "neither … nor …", "Is it not a fruit or a vegetable?": the whole is negated. */
  negated: boolean;
  conjuncts: string[][];
}

const AUX = new Set(['is', 'are', 'does', 'do', 'can', 'could', 'would', 'will', 'was', 'were', 'has', 'have']);
const PRONOUNS = new Set(['it', 'they', 'you', 'this', 'that']);

/**
 * Splits a question's tokens (commas kept as "," tokens) at its coordinators; `isProtected(i)` says the
 * coordinator at input index i belongs to a phrase ("long and thin"). Null when there is nothing to split;
 * 'mixed' when "or" and "and" both join things ("a or b and c": no single reading).
 */
export function splitConjuncts(input: readonly string[], isProtected: (i: number) => boolean): Conjuncts | 'mixed' | null {
  let negated = false;
  const tokens: { t: string; joins: boolean }[] = [];
  input.forEach((t, i) => {
    const free = !isProtected(i);
    if (t === 'neither') negated = true;
    else if ((t === 'either' || t === 'both') && free) return;
    else if (t === 'and' && input[i + 1] === 'or') return;
    else if ((t === 'nor' || t === 'or') && free) tokens.push({ t: 'or', joins: true });
    else if ((t === 'and' || t === 'but') && free) tokens.push({ t: 'and', joins: true });
    else tokens.push({ t, joins: false });
  });
  const ops = new Set(tokens.filter((x, i) => x.joins && i > 0).map((x) => x.t));
  if (ops.size === 0) return null;
  if (ops.size > 1) return 'mixed';
  const op = [...ops][0] as 'or' | 'and';
  const words = tokens.map((x) => x.t);
  // "Is it not a fruit or a vegetable?": a "not" right after the frame negates the whole question, unless a later
  // conjunct has its own ("Is it not a fruit and not a vegetable?": each "not" negates its own part)
  const at = AUX.has(words[0] as string) && PRONOUNS.has(words[1] as string) && words[2] === 'not' ? 2 : AUX.has(words[0] as string) && words[1] === 'not' && PRONOUNS.has(words[2] as string) ? 1 : -1;
  const firstJoin = tokens.findIndex((x, i) => x.joins && i > 0);
  const laterNot = tokens.some((x, i) => i > firstJoin && (x.t === 'not' || x.t === 'never'));
  if (at > 0 && !laterNot) {
    tokens.splice(at, 1);
    negated = !negated;
  }
  const conjuncts: string[][] = [[]];
  for (const x of tokens) {
    if (x.joins || x.t === ',') conjuncts.push([]);
    else (conjuncts.at(-1) as string[]).push(x.t);
  }
  const nonEmpty = conjuncts.filter((c) => c.length > 0);
  return nonEmpty.length < 2 ? null : { op, negated, conjuncts: nonEmpty };
}

/** Pairs of words whose "or" asks which one, never either ("Is it hot or cold?"). */
const ANTONYMS: readonly [string, string][] = [
  ['hot', 'cold'], ['warm', 'cold'], ['sweet', 'sour'], ['sweet', 'salty'], ['wet', 'dry'], ['old', 'new'], ['light', 'dark'], ['light', 'heavy'],
  ['big', 'small'], ['large', 'small'], ['hard', 'soft'], ['indoors', 'outdoors'], ['indoor', 'outdoor'], ['inside', 'outside'], ['natural', 'artificial'],
  ['natural', 'made'], ['living', 'nonliving'], ['alive', 'dead'], ['wild', 'domestic'], ['wild', 'domesticated'], ['work', 'fun'], ['young', 'old'],
  ['fast', 'slow'], ['loud', 'quiet'], ['cheap', 'expensive'], ['long', 'short'], ['thick', 'thin'], ['male', 'female'], ['real', 'fake'],
  ['heavy', 'lightweight'], ['living', 'object'], ['animal', 'object'], ['water', 'land'], ['sea', 'land'], ['day', 'night'],
  ['summer', 'winter'], ['men', 'women'], ['boys', 'girls'], ['adults', 'children'], ['adults', 'kids'],
];

export function asksWhichOne(conjuncts: readonly string[][]): boolean {
  const all = conjuncts.flat();
  if (['animal', 'vegetable', 'mineral'].every((w) => all.includes(w))) return true;
  // "more of a tool or a toy", "more like a fruit or a vegetable": a comparison between the alternatives
  if (all.some((t, i) => t === 'more' && (all[i + 1] === 'of' || all[i + 1] === 'like'))) return true;
  const has = (c: readonly string[], w: string) => c.includes(w);
  for (let i = 0; i < conjuncts.length; i++)
    for (let j = i + 1; j < conjuncts.length; j++)
      for (const [a, b] of ANTONYMS) {
        const x = conjuncts[i] as string[];
        const y = conjuncts[j] as string[];
        if ((has(x, a) && has(y, b) && !has(x, b) && !has(y, a)) || (has(x, b) && has(y, a) && !has(x, a) && !has(y, b))) return true;
      }
  return false;
}

/** The parts of a conjunct's mapping, in question order: the parts of an "all", else the mapping itself. */
export function partsOf(m: Mapping): Mapping[] {
  return m.kind === 'all' && !m.negated ? [...m.parts] : [m];
}

/**
 * All parts at once: a "never" part makes the whole never; a guess part stays the guess when its word has
 * the other parts, else never; an "any" part is distributed ("a fruit, red or yellow" → red fruit or yellow
 * fruit). `holds` answers a mapping for a word.
 */
export function allOf(parts: readonly Mapping[], words: readonly string[], holds: (m: Mapping, w: string) => boolean): Mapping {
  const flat = parts.flatMap((p) => (p.kind === 'all' && !p.negated ? [...p.parts] : [p])).filter((p) => !(p.kind === 'never' && p.negated));
  if (flat.some((p) => p.kind === 'never')) return flat.find((p) => p.kind === 'never') as Mapping;
  if (flat.length === 1) return flat[0] as Mapping;
  const anyIndex = flat.findIndex((p) => p.kind === 'any' && !p.negated);
  if (anyIndex >= 0) {
    const inner = flat[anyIndex] as Extract<Mapping, { kind: 'any' }>;
    const rest = flat.filter((_, i) => i !== anyIndex);
    return anyOf(inner.parts.map((alt) => allOf([...rest, alt], words, holds)), words, holds);
  }
  const guess = flat.find((p) => p.kind === 'guess' && !p.negated);
  if (guess?.kind === 'guess') {
    const others = flat.filter((p) => p !== guess);
    const kept = guess.words.filter((w) => others.every((o) => holds(o, w)));
    return kept.length > 0 ? { kind: 'guess', words: kept, negated: false } : { kind: 'never', phrase: 'no word is all of these', negated: false };
  }
  if (flat.every((p): p is PartMapping => p.kind === 'attribute' || p.kind === 'category')) return { kind: 'all', parts: flat, negated: false };
  return { kind: 'unmapped', reason: 'asks a combination the knowledge base cannot hold' };
}

/** Either part: guesses join into one guess; a "never" part adds nothing; one part is itself. */
export function anyOf(parts: readonly Mapping[], words: readonly string[], holds: (m: Mapping, w: string) => boolean): Mapping {
  const flat = parts.flatMap((p) => (p.kind === 'any' && !p.negated ? [...p.parts] : [p])).filter((p) => !(p.kind === 'never' && !p.negated));
  if (flat.length === 0) return parts[0] ?? { kind: 'unmapped', reason: 'nothing asked' };
  if (flat.some((p) => p.kind === 'unmapped')) return flat.find((p) => p.kind === 'unmapped') as Mapping;
  if (flat.every((p) => p.kind === 'guess' && !p.negated)) return { kind: 'guess', words: [...new Set(flat.flatMap((p) => (p.kind === 'guess' ? p.words : [])))], negated: false };
  if (flat.length === 1) return flat[0] as Mapping;
  // a part no word has adds nothing to "either" ("a fruit or [a] vegetable that grows on trees")
  const some = flat.filter((p) => words.some((w) => holds(p, w)));
  if (some.length > 0 && some.length < flat.length) return anyOf(some, words, holds);
  // parts that ask the same thing ("a kitchen tool or utensil") are one part
  const key = (m: Mapping) => words.map((w) => (holds(m, w) ? '1' : '0')).join('');
  const distinct = flat.filter((p, i) => flat.findIndex((q) => key(q) === key(p)) === i);
  return distinct.length === 1 ? (distinct[0] as Mapping) : { kind: 'any', parts: distinct, negated: false };
}
