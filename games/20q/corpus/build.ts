import { createRng, hashSeed, type Rng } from '../../../base/rng.js';
import { KB, type KnowledgeBase } from '../kb.js';
import { findPhrase, tokenize } from '../text.js';
import { variantTokens } from '../win-rule.js';
import { findWord, type WordEntry } from '../words.js';
import { holds, parseMeaning, type Meaning } from './meaning.js';
import { CorpusFileSchema, type CorpusFile, type CorpusItem, type CorpusSplit } from './schema.js';
import { beyondKb as hBeyond } from './sources/held-out/beyond-kb.js';
import { coordination as hCoordination } from './sources/held-out/coordination.js';
import { guesses as hGuesses } from './sources/held-out/guesses.js';
import { HELD_OUT_HEDGE_POOLS, hedges as hHedges } from './sources/held-out/hedges.js';
import { newAttributes as hNew } from './sources/held-out/new-attributes.js';
import { offTask as hOff } from './sources/held-out/off-task.js';
import { plain as hPlain } from './sources/held-out/plain.js';
import { SHARED_POOLS } from './sources/pools.js';
import { beyondKb } from './sources/tuned/beyond-kb.js';
import { coordination } from './sources/tuned/coordination.js';
import { guesses } from './sources/tuned/guesses.js';
import { TUNED_HEDGE_POOLS, hedges } from './sources/tuned/hedges.js';
import { newAttributes } from './sources/tuned/new-attributes.js';
import { offTask } from './sources/tuned/off-task.js';
import { moreGuesses, moreHedges } from './sources/tuned/more.js';
import { plain } from './sources/tuned/plain.js';
import type { PoolEntry, Source, Template } from './sources/types.js';

const withExamples = (pools: Record<string, PoolEntry[]>) => ({ ...pools, isPredEg: (pools.isPred ?? []).filter((p) => p.eg !== undefined) });

/** The sources of each split, in file order (a tuned text equal to a held-out one is dropped from the tuned part). */
export const SPLITS: readonly { split: CorpusSplit; sources: readonly Source[]; pools: Record<string, PoolEntry[]> }[] = [
  { split: 'tuned', sources: [plain, newAttributes, coordination, hedges, moreHedges, offTask, guesses, moreGuesses, beyondKb], pools: withExamples({ ...SHARED_POOLS, ...TUNED_HEDGE_POOLS }) },
  { split: 'held_out', sources: [hPlain, hNew, hCoordination, hHedges, hOff, hGuesses, hBeyond], pools: withExamples({ ...SHARED_POOLS, ...HELD_OUT_HEDGE_POOLS }) },
];

const TARGETS_PER_SIDE = 2;
const DEFAULT_FILLINGS = 12;
const textKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * Expands the sources into the corpus: every hand-written question once, every template `n` times with
 * slot values drawn by a generator seeded with the source and template names (so the corpus is the same on
 * every build). Expected answers come from the author's meaning and the knowledge base's values, for two
 * words it holds for and two it does not (drawn the same way); a template filling whose alternatives cover
 * every word ("small or big") is expected to be refused; one whose parts contradict ("small and big") or
 * repeat ("writing or drawing") is skipped.
 */
export function buildCorpus(kb: KnowledgeBase = KB): CorpusFile {
  const expanded = SPLITS.map(({ split, sources, pools }) => ({
    split,
    rows: sources.flatMap((source) => source.templates.flatMap((template) => fillings(source, template, pools, kb).map((filled) => ({ source, template, filled })))),
  }));
  // the held-out part is fixed: a tuned text equal to a held-out one is dropped from the tuned part
  const heldOut = new Set(expanded.filter((e) => e.split === 'held_out').flatMap((e) => e.rows.map((r) => textKey(r.filled.text))));
  const items: CorpusItem[] = [];
  const seen = new Set<string>();
  for (const { split, rows } of expanded) {
    for (const { source, template, filled } of rows) {
      const key = textKey(filled.text);
      if (seen.has(key) || (split === 'tuned' && heldOut.has(key))) continue;
      seen.add(key);
      items.push(toItem(split, source, template, filled, kb));
    }
  }
  return CorpusFileSchema.parse({
    description: `Questions as chat models phrase them, with the expected answer for a few target words (clem-ts, issue 13). Built by games/20q/corpus/build.ts from the sources in games/20q/corpus/sources/ (tuned/ and held-out/); do not edit by hand. Sources: ${SPLITS.flatMap((s) => s.sources.map((x) => `${x.name}: ${x.note}`)).join('; ')}.`,
    items,
  });
}

interface Filled {
  text: string;
  meaning: string;
  slotText: string;
  n: number;
}

function fillings(source: Source, template: Template, pools: Record<string, PoolEntry[]>, kb: KnowledgeBase): Filled[] {
  const slots = Object.entries(template.slots ?? {});
  if (slots.length === 0) return [{ text: template.text, meaning: template.meaning, slotText: '', n: 0 }];
  const rng = createRng(hashSeed(source.name, template.id));
  const want = template.n ?? DEFAULT_FILLINGS;
  const out: Filled[] = [];
  const tried = new Set<string>();
  for (let attempt = 0; attempt < want * 60 && out.length < want; attempt++) {
    const values = slots.map(([slot, poolName]) => {
      const entries = pools[poolName];
      if (!entries || entries.length === 0) throw new Error(`${source.name}#${template.id}: unknown or empty pool '${poolName}'`);
      return [slot, rng.pick(entries)] as const;
    });
    const combo = values.map(([, v]) => v.t).sort().join('|');
    if (tried.has(combo)) continue;
    tried.add(combo);
    if (!distinctParts(values.map(([, v]) => v.m), kb)) continue;
    let text = template.text;
    let meaning = template.meaning;
    for (const [slot, v] of values) {
      text = text.replace(new RegExp(`\\{${slot}\\.(\\w+)\\}`, 'g'), (_, field: string) => (v as unknown as Record<string, string>)[field] ?? '');
      meaning = meaning.replaceAll(`{${slot}}`, `(${v.m})`);
    }
    if (!informative(meaning, template.given, kb)) continue;
    out.push({ text, meaning, slotText: values.map(([s, v]) => `${s}=${v.t}`).join(', '), n: out.length + 1 });
  }
  return out;
}

/** A filling that answers the same for every word it may be asked about ("So it's not an animal. Is it a pet?", "electronic and edible") is no question a model asks; "or" fillings that cover every word are kept (refused). */
function informative(meaning: string, given: string | undefined, kb: KnowledgeBase): boolean {
  const m = parseMeaning(meaning, kb);
  if (m.kind !== 'expr') return true;
  const g = given === undefined ? null : parseMeaning(given, kb);
  const pool = kb.words.filter((w) => g === null || (g.kind === 'expr' && holds(g.expr, w.word, kb)));
  const yes = pool.filter((w) => holds(m.expr, w.word, kb)).length;
  return yes > 0 && (yes < pool.length || isOr(m.expr)) && sensible(m.expr, pool.map((w) => w.word), kb);
}

/** Every alternative under an "and" can hold with the rest ("a vehicle that is edible or lightweight" cannot). */
function sensible(m: Meaning, words: readonly string[], kb: KnowledgeBase): boolean {
  if (m.kind === 'not') return sensible(m.of, words, kb);
  if (m.kind === 'or') return m.of.every((x) => sensible(x, words, kb));
  if (m.kind !== 'and') return true;
  return m.of.every((child, i) => {
    if (child.kind !== 'or') return sensible(child, words, kb);
    const rest = m.of.filter((_, j) => j !== i);
    return child.of.every((alt) => words.some((w) => holds(alt, w, kb) && rest.every((r) => holds(r, w, kb))));
  });
}

/** Two slot values that ask the same thing, or the opposite, make no question worth asking ("writing or drawing", "small and big"). */
function distinctParts(meanings: readonly string[], kb: KnowledgeBase): boolean {
  const sets = meanings.map((m) => {
    const p = parseMeaning(m, kb);
    return p.kind === 'expr' ? kb.words.map((w) => (holds(p.expr, w.word, kb) ? '1' : '0')).join('') : m;
  });
  for (let i = 0; i < sets.length; i++)
    for (let j = i + 1; j < sets.length; j++) {
      const a = sets[i] as string;
      const b = sets[j] as string;
      if (a === b || [...a].every((c, k) => c !== b[k])) return false;
    }
  return true;
}

function toItem(split: CorpusSplit, source: Source, template: Template, filled: Filled, kb: KnowledgeBase): CorpusItem {
  const id = `${split === 'tuned' ? 't' : 'h'}-${source.group.replace('_', '-')}-${template.id}${filled.n > 0 ? `-${filled.n}` : ''}`.toLowerCase();
  const base = {
    id,
    group: source.group,
    split,
    text: filled.text,
    source: `${source.name}#${template.id}${filled.slotText ? ` (${filled.slotText})` : ''}`,
    meaning: filled.meaning,
    wins_for: [] as string[],
  };
  const parsed = parseMeaning(filled.meaning, kb);
  if (parsed.kind === 'off') return { ...base, expect: 'off_task', answers: {} };
  if (parsed.kind === 'refuse') return { ...base, expect: 'refuse', answers: {} };
  if (parsed.kind === 'targets') return { ...base, expect: 'answer', answers: parsed.answers };
  const given = template.given === undefined ? null : parseMeaning(template.given, kb);
  const pool = kb.words.map((w) => w.word).filter((w) => given === null || (given.kind === 'expr' && holds(given.expr, w, kb)));
  const yes = pool.filter((w) => holds(parsed.expr, w, kb));
  const no = pool.filter((w) => !holds(parsed.expr, w, kb));
  // alternatives that hold for every word ask "which one?" ("Is it man-made or natural?")
  if (no.length === 0 && isOr(parsed.expr)) return { ...base, expect: 'refuse', answers: {} };
  const rng = createRng(hashSeed('targets', id));
  const answers: Record<string, 'yes' | 'no'> = {};
  const take = (words: string[], n: number, value: 'yes' | 'no') => pickSome(rng, words, n).forEach((w) => (answers[w] = value));
  take(yes, no.length === 0 ? 2 * TARGETS_PER_SIDE : TARGETS_PER_SIDE, 'yes');
  take(no, yes.length === 0 ? 2 * TARGETS_PER_SIDE : TARGETS_PER_SIDE, 'no');
  // a guess wins when it names the word by one of its LMRL variants ("Is it a sofa?" is answered yes for Couch but wins nothing)
  const guess = parsed.expr.kind === 'guess' ? parsed.expr.word : null;
  const named = guess !== null && variantTokens(findWord(guess, kb.words) as WordEntry).some((v) => findPhrase(tokenize(filled.text), v).length > 0);
  return { ...base, expect: 'answer', answers: sortKeys(answers), wins_for: named && guess !== null ? [guess] : [] };
}

const isOr = (m: Meaning): boolean => m.kind === 'or';
const pickSome = (rng: Rng, words: readonly string[], n: number) => rng.shuffle(words).slice(0, n);
const sortKeys = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

/** The corpus file's text: one item per line, so a diff shows the items that changed. */
export function formatCorpus(corpus: CorpusFile): string {
  return `{\n  "description": ${JSON.stringify(corpus.description)},\n  "items": [\n${corpus.items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]\n}\n`;
}
