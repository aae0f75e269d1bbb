import type { KnowledgeBase } from './kb.js';
import { matchesAt, tokenForms } from './text.js';

/** What a KB phrase asks: an attribute, a category, something no word is, or a qualifier the KB cannot answer. */
export type PhraseTarget =
  | { kind: 'attribute'; id: string }
  | { kind: 'category'; name: string }
  | { kind: 'never'; phrase: string }
  | { kind: 'unknown'; phrase: string }
  /** Several attributes at once ("big cat": feline and wild). */
  | { kind: 'all'; phrase: string; parts: { id: string; negated: boolean }[] };

export interface Phrase {
  /** Position in the table: on a tie in length the earlier phrase wins (attributes, categories, never). */
  rank: number;
  tokens: string[];
  target: PhraseTarget;
  /** The phrase asks the opposite of its attribute ("natural" for man_made). */
  negative: boolean;
}

/** A phrase found in a question, at tokens [start, end). */
export interface Found {
  start: number;
  end: number;
  key: string;
  phrase: Phrase;
}

type Indexed<T> = Map<string, { tokens: string[]; item: T }[]>;

/** The phrases of a KB (attributes, then categories, never and unknown phrases), indexed by first token. */
export interface PhraseTable {
  readonly phrases: readonly Phrase[];
  /** Every phrase occurrence in the tokens (a one-token phrase may occur as its plural). */
  find(tokens: readonly string[]): { phrase: Phrase; start: number; end: number }[];
}

export function createPhraseTable(kb: KnowledgeBase): PhraseTable {
  const phrases: Phrase[] = [];
  const push = (p: string, target: PhraseTarget, negative = false) => phrases.push({ rank: phrases.length, tokens: p.split(' '), target, negative });
  for (const a of kb.attributes) {
    for (const p of a.phrases) push(p, { kind: 'attribute', id: a.id });
    for (const p of a.negative_phrases ?? []) push(p, { kind: 'attribute', id: a.id }, true);
  }
  for (const c of kb.file.combined_phrases) push(c.phrase, { kind: 'all', phrase: c.phrase, parts: c.all.map((id) => ({ id: id.replace(/^!/, ''), negated: id.startsWith('!') })) });
  for (const c of kb.categories) for (const p of c.phrases) push(p, { kind: 'category', name: c.name });
  for (const p of kb.file.never_phrases) push(p, { kind: 'never', phrase: p });
  for (const p of kb.file.unknown_phrases) push(p, { kind: 'unknown', phrase: p });
  const index = indexByFirst(phrases.map((p) => ({ tokens: p.tokens, item: p })));
  return { phrases, find: (tokens) => occurrences(tokens, index).map(({ item, start, end }) => ({ phrase: item, start, end })) };
}

/** What a phrase asks, as one string: phrases with the same key ask the same thing (a negative phrase asks its attribute). */
export function targetKey(p: Phrase): string {
  const t = p.target;
  return t.kind === 'attribute' ? `a:${t.id}` : t.kind === 'category' ? `c:${t.name}` : t.kind === 'all' ? `all:${t.phrase}` : `${t.kind}:${t.phrase}`;
}

/** Words that say nothing about the thing ("an object", "a thing"): they do not make a phrase stronger. */
const GENERIC = new Set(['a', 'an', 'the', 'object', 'thing', 'item', 'something', 'physical', 'is', 'it', 'does', 'do', 'can', 'you', 'are', 'they']);
const contentLength = (p: Phrase) => p.tokens.filter((t) => !GENERIC.has(t)).length;

/**
 * Phrases with more content words win ("an item you wear": wear, not the generic "an item"), then longer
 * phrases (tokens, then characters); on a tie the earlier in the table.
 */
export function compareStrength(a: Phrase, b: Phrase): number {
  return (
    contentLength(a) - contentLength(b) ||
    a.tokens.length - b.tokens.length ||
    a.tokens.join(' ').length - b.tokens.join(' ').length ||
    b.rank - a.rank
  );
}

/** The strongest phrases that do not overlap, one per target, in question order, with where they stand. */
export function disjointStrongest(found: readonly Found[]): Found[] {
  const picked: Found[] = [];
  for (const f of [...found].sort((a, b) => compareStrength(b.phrase, a.phrase))) {
    if (picked.some((p) => p.key === f.key || (p.start < f.end && f.start < p.end))) continue;
    picked.push(f);
  }
  return picked.sort((a, b) => a.start - b.start);
}

export function indexByFirst<T>(entries: { tokens: string[]; item: T }[]): Indexed<T> {
  const index: Indexed<T> = new Map();
  for (const e of entries) {
    const first = e.tokens[0];
    if (first === undefined) continue;
    index.set(first, [...(index.get(first) ?? []), e]);
  }
  return index;
}

/** Every place an indexed token sequence occurs (a one-token sequence may occur as its plural). */
export function occurrences<T>(tokens: readonly string[], index: Indexed<T>): { item: T; start: number; end: number }[] {
  const out: { item: T; start: number; end: number }[] = [];
  tokens.forEach((token, start) => {
    for (const form of tokenForms(token)) {
      for (const e of index.get(form) ?? []) {
        if (form !== token && e.tokens.length > 1) continue;
        if (matchesAt(tokens, start, e.tokens)) out.push({ item: e.item, start, end: start + e.tokens.length });
      }
    }
  });
  return out;
}
