import { KB, type KnowledgeBase } from './kb.js';
import { matchesAt, tokenForms, tokenize } from './text.js';
import { COUNTERS, finalPhraseStart, variantTokens } from './win-rule.js';
import type { WordEntry } from './words.js';

/**
 * What a question asks, in knowledge-base terms. `negated`: the question asks the opposite ("Is it
 * natural?" asks not man_made; "Is it not alive?"). A guess may name several words ("Is it a cat or a dog?").
 */
export type PartMapping = { kind: 'attribute'; id: string; negated: boolean } | { kind: 'category'; name: string; negated: boolean };
export type Mapping =
  | PartMapping
  /** Several things at once, all of them true ("a red fruit", "jewelry worn on the finger"). */
  | { kind: 'all'; parts: PartMapping[]; negated: boolean }
  | { kind: 'guess'; words: string[]; negated: boolean }
  /** Something no word of the list is ("Is it a bird?"): the KB answers no for every word. */
  | { kind: 'never'; phrase: string; negated: boolean }
  | { kind: 'unmapped'; reason: string };

const NEGATIONS = new Set(['not', 'never']);
/** Openings of a direct guess: "is it a cat", "could it be a cat", "is the answer cat", "my guess is a cat". */
const GUESS_FRAMES = [
  'is it', 'is this', 'is that', 'it is', 'are they', 'are these', 'are those', 'was it', 'is it called', 'could it be', 'might it be',
  'can it be', 'would it be', 'is the answer', 'is the word', 'is the object', 'is the thing', 'is the item', 'is your word',
  'is your object', 'are you thinking of', 'my guess is', 'i guess', 'is the hidden word', 'is the secret word', 'is it maybe', 'is it perhaps',
].map((f) => f.split(' ')).sort((a, b) => b.length - a.length);
/** Words that are also colours: without an article they ask the colour ("Is it orange?"). */
const COLOUR_WORDS = new Set(['orange']);
const GUESS_FILLERS = new Set(['a', 'an', 'the', 'some', 'one', 'or', 'either', 'not', 'perhaps', 'maybe', 'just', 'actually', 'really', 'called', 'named']);

interface Phrase {
  /** Position in the table: on a tie in length the earlier phrase wins (attributes, categories, never). */
  rank: number;
  tokens: string[];
  target: { kind: 'attribute'; id: string } | { kind: 'category'; name: string } | { kind: 'never'; phrase: string } | { kind: 'unknown'; phrase: string };
  negative: boolean;
}

/** The phrase table of a KB, built once per KB. */
export interface QuestionMapper {
  map(question: string): Mapping;
}

/**
 * Maps a natural-language yes/no question to an attribute, a category or a word guess of the KB, or
 * `unmapped`. Order: (1) a direct guess frame whose rest is only word names ("Is it a pair of shoes?");
 * (2) a question that ends with a word's name after a guess frame ("Is it a big black cat?"), unless the
 * best phrase overlaps that name ("Is it bigger than a car?"); (3) the longest attribute or category phrase,
 * skipping phrases inside a longer named word ("ball" in "tennis ball"); else unmapped. Negation words flip the answer.
 */
export function createQuestionMapper(kb: KnowledgeBase = KB): QuestionMapper {
  const phrases: Phrase[] = [];
  for (const a of kb.attributes) {
    for (const p of a.phrases) phrases.push({ rank: phrases.length, tokens: p.split(' '), target: { kind: 'attribute', id: a.id }, negative: false });
    for (const p of a.negative_phrases ?? []) phrases.push({ rank: phrases.length, tokens: p.split(' '), target: { kind: 'attribute', id: a.id }, negative: true });
  }
  for (const c of kb.categories) for (const p of c.phrases) phrases.push({ rank: phrases.length, tokens: p.split(' '), target: { kind: 'category', name: c.name }, negative: false });
  for (const p of kb.file.never_phrases) phrases.push({ rank: phrases.length, tokens: p.split(' '), target: { kind: 'never', phrase: p }, negative: false });
  for (const p of kb.file.unknown_phrases) phrases.push({ rank: phrases.length, tokens: p.split(' '), target: { kind: 'unknown', phrase: p }, negative: false });
  const wordVariants = kb.words.map((w) => ({ word: w, variants: variantTokens(w) }));
  // indexes by first token, so a question is scanned once instead of once per phrase
  const phraseIndex = indexByFirst(phrases.map((p) => ({ tokens: p.tokens, item: p })));
  const variantIndex = indexByFirst(wordVariants.flatMap(({ word, variants }) => variants.map((v) => ({ tokens: v, item: word }))));

  /** Spans [start, end) of every word named in the tokens. */
  const namedSpans = (tokens: string[]) =>
    occurrences(tokens, variantIndex).map(({ item, start, end }) => ({ word: item, start, end }));

  /** The words of a direct guess ("a cat or a dog"), or null when the rest holds anything else. */
  const guessWords = (rest: string[]): { words: WordEntry[]; bare: boolean } | null => {
    const words: WordEntry[] = [];
    let i = 0;
    let bare = true;
    while (i < rest.length) {
      const t = rest[i] as string;
      if (GUESS_FILLERS.has(t)) {
        if (t === 'a' || t === 'an' || t === 'the' || t === 'some') bare = false;
        i += 1;
        continue;
      }
      if (COUNTERS.has(t) && rest[i + 1] === 'of') {
        bare = false;
        i += 2;
        continue;
      }
      let best: { word: WordEntry; length: number } | null = null;
      for (const { word, variants } of wordVariants)
        for (const v of variants) if (matchesAt(rest, i, v) && (!best || v.length > best.length)) best = { word, length: v.length };
      if (!best) return null;
      if (!words.includes(best.word)) words.push(best.word);
      i += best.length;
    }
    return words.length > 0 ? { words, bare } : null;
  };

  // Questions repeat across episodes (the Answerer, the game master and the scorer map each one, and players
  // ask the same questions): remember mappings by question text, frozen since callers share them.
  const memo = new Map<string, Mapping>();
  const MEMO_LIMIT = 20_000;
  const mapper: QuestionMapper = {
    map(question) {
      let mapping = memo.get(question);
      if (mapping === undefined) {
        mapping = deepFreeze(mapUncached(question));
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(question, mapping);
      }
      return mapping;
    },
  };
  return mapper;

  function mapUncached(question: string): Mapping {
    const tokens = tokenize(question);
    if (tokens.length === 0) return { kind: 'unmapped', reason: 'empty question' };
    const negated = tokens.some((t) => NEGATIONS.has(t));
    const names = (ws: WordEntry[]) => ws.map((w) => w.word);

    // (1) direct guess
    for (const frame of GUESS_FRAMES) {
      if (!matchesAt(tokens, 0, frame, false)) continue;
      const rest = tokens.slice(frame.length);
      const guess = guessWords(rest);
      // "Is it orange?" without an article asks the colour, not the fruit
      const content = rest.filter((t) => !GUESS_FILLERS.has(t));
      const colourLike = guess?.bare === true && content.length === 1 && COLOUR_WORDS.has(content[0] as string);
      if (guess && !colourLike) return { kind: 'guess', words: names(guess.words), negated };
      break;
    }

    // (2) attribute or category phrase, unless the question ends with a guessed word the phrase does not touch
    const spans = namedSpans(tokens);
    let best: { phrase: Phrase; start: number } | null = null;
    const found: { start: number; end: number; key: string; phrase: Phrase }[] = [];
    const unknown: { phrase: string; start: number; end: number }[] = [];
    for (const { item: phrase, start, end } of occurrences(tokens, phraseIndex)) {
      const insideLongerWord = spans.some((s) => s.start <= start && end <= s.end && s.end - s.start > phrase.tokens.length);
      if (insideLongerWord) continue;
      found.push({ start, end, key: targetKey(phrase), phrase });
      if (phrase.target.kind === 'unknown') {
        unknown.push({ phrase: phrase.target.phrase, start, end });
        continue;
      }
      const better = !best || compareStrength(phrase, best.phrase) > 0;
      if (better) best = { phrase, start };
    }
    // (3) a guess with extra words before the name ("Is it a big black cat?")
    const final = spans.filter((s) => s.end === tokens.length).sort((a, b) => a.start - b.start)[0];
    const looseGuess = final && finalPhraseStart(tokens, final.word) >= 0 ? final : undefined;
    const touched = looseGuess !== undefined && found.some((f) => f.start < looseGuess.end && looseGuess.start < f.end);
    // "a string instrument like a guitar" asks the class, not the guitar
    const example = looseGuess !== undefined && best !== null && tokens.slice(0, looseGuess.start).some((t) => t === 'like' || t === 'as');
    if (looseGuess && !touched && !example && !tokens.includes('or')) return { kind: 'guess', words: [looseGuess.word.word], negated };
    // "made of glass or metal", "red and round": two different things asked at once, one answer cannot say both
    const joined = tokens.includes('or') || tokens.includes('and');
    const asked = found.filter((f, i) => !unknown.some((u) => u.start === f.start && u.end === f.end) && !found.some((g, j) => j !== i && g.start <= f.start && f.end <= g.end && g.end - g.start > f.end - f.start));
    const targets = new Set(asked.map((f) => f.key));
    if (joined && targets.size > 1) return { kind: 'unmapped', reason: `asks ${targets.size} things joined by 'and'/'or'` };
    // a qualifier the KB cannot answer ("eat it raw") makes any shorter phrase's answer wrong, so it wins unless covered
    const blocker = unknown.find((u) => !found.some((f) => f.start <= u.start && u.end <= f.end && f.end - f.start > u.end - u.start));
    if (blocker) return { kind: 'unmapped', reason: `asks '${blocker.phrase}', which the knowledge base does not know` };
    // several separate phrases without "and"/"or" ("a red fruit", "jewelry worn on the finger") ask all of them
    const parts = disjointStrongest(asked);
    if (parts.length > 1) return combine(parts, negated, kb);
    if (best) {
      const flip = best.phrase.negative !== negated;
      const t = best.phrase.target;
      if (t.kind === 'attribute') return { kind: 'attribute', id: t.id, negated: flip };
      if (t.kind === 'category') return { kind: 'category', name: t.name, negated: flip };
      if (t.kind === 'never') return { kind: 'never', phrase: t.phrase, negated: flip };
    }
    if (spans.length > 0) return { kind: 'unmapped', reason: `names ${spans[0]?.word.word} but asks nothing the knowledge base knows` };
    return { kind: 'unmapped', reason: 'no known attribute, category or word' };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The strongest phrases that do not overlap, one per target, in question order. */
function disjointStrongest(found: { start: number; end: number; key: string; phrase: Phrase }[]) {
  const picked: typeof found = [];
  for (const f of [...found].sort((a, b) => compareStrength(b.phrase, a.phrase))) {
    if (picked.some((p) => p.key === f.key || (p.start < f.end && f.start < p.end))) continue;
    picked.push(f);
  }
  return picked.sort((a, b) => a.start - b.start).map((p) => p.phrase);
}

/**
 * "A red fruit": every part must hold. A part that no word is ("a bird that flies") answers no; two
 * categories at once, or parts no word has together ("used to hit a ball": the racket is no ball), mean
 * the phrases are not all about the thing, so the question is unmapped. When one part alone gives the
 * same answers ("worn on the head" and "worn") that part is the mapping.
 */
function combine(parts: Phrase[], negated: boolean, kb: KnowledgeBase): Mapping {
  const never = parts.find((p) => p.target.kind === 'never');
  if (never?.target.kind === 'never') return { kind: 'never', phrase: never.target.phrase, negated: never.negative !== negated };
  if (parts.filter((p) => p.target.kind === 'category').length > 1) return { kind: 'unmapped', reason: 'asks two categories at once' };
  const maps = parts.flatMap((p): PartMapping[] => {
    const t = p.target;
    if (t.kind === 'attribute') return [{ kind: 'attribute', id: t.id, negated: p.negative }];
    if (t.kind === 'category') return [{ kind: 'category', name: t.name, negated: p.negative }];
    return [];
  });
  const yes = new Set(kb.words.filter((w) => maps.every((m) => kbAnswer(m, w.word, kb))).map((w) => w.word));
  if (yes.size === 0) return { kind: 'unmapped', reason: `no word is ${parts.map((p) => `'${p.tokens.join(' ')}'`).join(' and ')} at once` };
  const same = maps.find((m) => kb.words.every((w) => kbAnswer(m, w.word, kb) === yes.has(w.word)));
  if (same) return { ...same, negated: same.negated !== negated };
  return { kind: 'all', parts: maps, negated };
}

/** What a phrase asks, as one string: phrases with the same key ask the same thing (a negative phrase asks its attribute). */
function targetKey(p: Phrase): string {
  const t = p.target;
  return t.kind === 'attribute' ? `a:${t.id}` : t.kind === 'category' ? `c:${t.name}` : `${t.kind}:${t.phrase}`;
}

/** Words that say nothing about the thing ("an object", "a thing"): they do not make a phrase stronger. */
const GENERIC = new Set(['a', 'an', 'the', 'object', 'thing', 'item', 'something', 'physical']);
const contentLength = (p: Phrase) => p.tokens.filter((t) => !GENERIC.has(t)).length;

/**
 * Phrases with more content words win ("an item you wear": wear, not the generic "an item"), then longer
 * phrases (tokens, then characters); on a tie the earlier in the table.
 */
function compareStrength(a: Phrase, b: Phrase): number {
  return (
    contentLength(a) - contentLength(b) ||
    a.tokens.length - b.tokens.length ||
    a.tokens.join(' ').length - b.tokens.join(' ').length ||
    b.rank - a.rank
  );
}

type Indexed<T> = Map<string, { tokens: string[]; item: T }[]>;

function indexByFirst<T>(entries: { tokens: string[]; item: T }[]): Indexed<T> {
  const index: Indexed<T> = new Map();
  for (const e of entries) {
    const first = e.tokens[0];
    if (first === undefined) continue;
    index.set(first, [...(index.get(first) ?? []), e]);
  }
  return index;
}

/** Every place an indexed token sequence occurs (a one-token sequence may occur as its plural). */
function occurrences<T>(tokens: readonly string[], index: Indexed<T>): { item: T; start: number; end: number }[] {
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

/** The KB's answer to a mapped question for one word (canonical name); null when unmapped. */
export function kbAnswer(mapping: Mapping, word: string, kb: KnowledgeBase = KB): boolean | null {
  switch (mapping.kind) {
    case 'attribute':
      return kb.has(word, mapping.id) !== mapping.negated;
    case 'category':
      return (kb.categoryOf(word) === mapping.name) !== mapping.negated;
    case 'all':
      return mapping.parts.every((p) => kbAnswer(p, word, kb) === true) !== mapping.negated;
    case 'guess':
      return mapping.words.includes(word) !== mapping.negated;
    case 'never':
      return mapping.negated;
    case 'unmapped':
      return null;
  }
}

/** The mapper of the shipped KB. */
export const MAPPER: QuestionMapper = createQuestionMapper(KB);
