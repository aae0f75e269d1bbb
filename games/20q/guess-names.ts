import { COMPOUND_NAMES } from './compounds.js';
import type { KnowledgeBase } from './kb.js';
import { indexByFirst, occurrences } from './phrase-table.js';
import { isFormOf, matchesAt } from './text.js';
import { COUNTERS, variantTokens } from './win-rule.js';
import type { WordEntry } from './words.js';

/** Openings of a direct guess: "is it a cat", "could it be a cat", "is the answer cat", "my guess is a cat". */
export const GUESS_FRAMES: readonly string[][] = [
  'is it', 'is this', 'is that', 'it is', 'are they', 'are these', 'are those', 'was it', 'is it called', 'could it be', 'might it be',
  'can it be', 'would it be', 'is the answer', 'is the word', 'is the object', 'is the thing', 'is the item', 'is your word',
  'is your object', 'are you thinking of', 'my guess is', 'i guess', 'is the hidden word', 'is the secret word', 'is it maybe', 'is it perhaps',
  'are you thinking about', 'my final answer is', 'my answer is', 'my final guess is', 'i will guess', 'i think it is', 'i believe it is', 'so is it',
].map((f) => f.split(' ')).sort((a, b) => b.length - a.length);
/** Words that are also colours: without an article they ask the colour ("Is it orange?"). */
export const COLOUR_WORDS = new Set(['orange']);
export const GUESS_FILLERS = new Set(['a', 'an', 'the', 'some', 'one', 'or', 'either', 'not', 'perhaps', 'maybe', 'just', 'actually', 'really', 'called', 'named']);

/** The words a run of tokens names: KB words (by variant or synonym) and other things ("a pear"). */
export interface GuessedNames {
  words: WordEntry[];
  /** No article or counter before the names ("Is it orange?" may ask the colour). */
  bare: boolean;
  /** Things that are none of the words, by their phrase. */
  others: string[];
}

export interface NameReader {
  /** Spans [start, end) of every word named in the tokens. */
  namedSpans(tokens: readonly string[]): { word: WordEntry; start: number; end: number }[];
  /** The names of a direct guess ("a cat or a dog"), or null when the tokens hold anything else. */
  guessNames(rest: readonly string[]): GuessedNames | null;
}

/**
 * Reads word names for the mapper: a word is named by its LMRL variants and its synonyms ("sofa" names
 * Couch; only variants win, win-rule.ts); `other_things` of the KB are named too, as things no word is.
 */
export function createNameReader(kb: KnowledgeBase, isKbPhrase: (phrase: string) => boolean = () => false): NameReader {
  const wordVariants = kb.words.map((w) => {
    const variants = [...variantTokens(w), ...(kb.file.synonyms[w.word] ?? []).map((x) => x.split(' '))];
    // a name of several words may be written as one ("lawnmower", "tennisball")
    return { word: w, variants: [...variants, ...variants.filter((v) => v.length > 1).map((v) => [v.join('')])] };
  });
  // compounds that name something else ("a sea horse") are things no word is, unless the KB asks them as a phrase ("a big cat")
  // written as one word too ("a hotdog", "a seahorse")
  const compounds = COMPOUND_NAMES.filter((c) => !isKbPhrase(c)).flatMap((c) => (c.includes(' ') ? [c, c.replaceAll(' ', '')] : [c]));
  const others = [...kb.file.other_things, ...compounds].map((x) => x.split(' '));
  const variantIndex = indexByFirst(wordVariants.flatMap(({ word, variants }) => variants.map((v) => ({ tokens: v, item: word }))));
  const otherIndex = indexByFirst(others.map((o) => ({ tokens: o, item: o })));
  const oneWordNames = new Map(wordVariants.flatMap(({ word, variants }) => variants.filter((v) => v.length === 1).map((v) => [v[0] as string, word] as const)));

  /** The longest name at `i`: a word's (by variant or synonym, or a one-word name written as two: "pine apple") or another thing's. */
  function nameAt(tokens: readonly string[], i: number): { word?: WordEntry; other?: string; length: number } | null {
    let best: { word?: WordEntry; other?: string; length: number } | null = null;
    for (const { word, variants } of wordVariants) for (const v of variants) if (matchesAt(tokens, i, v) && (!best || v.length > best.length)) best = { word, length: v.length };
    const next = tokens[i + 1];
    if (next !== undefined && (tokens[i] as string).length >= 3 && next.length >= 3) {
      const joined = `${tokens[i]}${next}`;
      for (const [name, word] of oneWordNames) if (isFormOf(joined, name) && (!best || best.length < 2)) best = { word, length: 2 };
    }
    for (const o of others) if (matchesAt(tokens, i, o) && (!best || o.length > best.length)) best = { other: o.join(' '), length: o.length };
    return best;
  }

  /**
   * A last token written as one word that starts with a word's name ("dollhouse", "cupboard", "penknife"): its head
   * is the rest, a word when the rest names one ("penknife" is a knife), else something no word is.
   */
  function closedCompound(t: string, last: boolean): { word?: WordEntry; other?: string; length: number } | null {
    if (!last || isKbPhrase(t)) return null;
    for (const [name, word] of oneWordNames) {
      const head = t.slice(name.length);
      if (word.word.toLowerCase() === t || !t.startsWith(name) || head.length < 3 || NAME_SUFFIXES.has(head)) continue;
      const headWord = oneWordNames.get(head);
      return headWord ? { word: headWord, length: 1 } : { other: t, length: 1 };
    }
    return null;
  }

  return {
    namedSpans(tokens) {
      const spans: { word: WordEntry; start: number; end: number }[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const n = nameAt(tokens, i);
        if (n?.word) spans.push({ word: n.word, start: i, end: i + n.length });
      }
      // a word inside a longer name of something else is not named ("lion" in "a sea lion")
      const covers = [...occurrences(tokens, otherIndex).map(({ start, end }) => ({ start, end })), ...spans];
      const named = occurrences(tokens, variantIndex).map(({ item, start, end }) => ({ word: item, start, end }));
      return [...named, ...spans.filter((s) => !named.some((x) => x.start === s.start && x.end === s.end))].filter(
        (s) => !covers.some((c) => c.start <= s.start && s.end <= c.end && c.end - c.start > s.end - s.start),
      );
    },
    guessNames(rest) {
      const words: WordEntry[] = [];
      const named: string[] = [];
      let i = 0;
      let bare = true;
      // a name right after another, with nothing between, makes a compound whose head is the last ("a piano bench")
      let previous: { word?: WordEntry; other?: string } | null = null;
      const drop = (p: { word?: WordEntry; other?: string }) => {
        if (p.word) words.splice(words.indexOf(p.word), 1);
        else named.splice(named.indexOf(p.other as string), 1);
      };
      while (i < rest.length) {
        const t = rest[i] as string;
        if (GUESS_FILLERS.has(t) || t === ',') {
          if (t === 'a' || t === 'an' || t === 'the' || t === 'some') bare = false;
          previous = null;
          i += 1;
          continue;
        }
        if (COUNTERS.has(t) && rest[i + 1] === 'of') {
          bare = false;
          previous = null;
          i += 2;
          continue;
        }
        const n = nameAt(rest, i) ?? closedCompound(t, i === rest.length - 1);
        if (!n) {
          // "a dog collar": an unknown noun right after a name, ending the question, is the head of a compound
          if (previous !== null && i === rest.length - 1 && isHeadNoun(t) && !isKbPhrase(t)) {
            drop(previous);
            named.push(`${previous.word?.word.toLowerCase() ?? previous.other} ${t}`);
            i += 1;
            continue;
          }
          return null;
        }
        if (previous !== null) drop(previous);
        if (n.word && !words.includes(n.word)) words.push(n.word);
        if (n.other) named.push(n.other);
        previous = n.word && words.includes(n.word) ? { word: n.word } : n.other ? { other: n.other } : null;
        i += n.length;
      }
      return words.length + named.length > 0 ? { words, bare, others: named } : null;
    },
  };
}

/** Endings that make a form of the word, not another thing ("lioness", "piglet", "doggie"). */
const NAME_SUFFIXES = new Set(['ess', 'esses', 'let', 'lets', 'ling', 'lings', 'kin', 'ie', 'ies', 'ette', 'ettes', 'ish', 'like', 'lover', 'lovers']);
/** Words that end a question without being a noun ("Is it a cat, though?", "Is it a cat too?"). */
const NOT_NOUNS = new Set(['though', 'too', 'then', 'now', 'yet', 'again', 'here', 'there', 'exactly', 'specifically', 'instead', 'today', 'anyway', 'please', 'indeed', 'also', 'right', 'correct', 'ok', 'okay', 'yes', 'no', 'maybe', 'perhaps', 'even', 'already', 'still']);
/** Generic nouns after a name describe it rather than naming another thing ("a paper product", "a cat thing"). */
const GENERIC_HEADS = new Set(['product', 'products', 'item', 'items', 'thing', 'things', 'object', 'objects', 'stuff', 'material', 'materials', 'type', 'kind', 'sort', 'related', 'based', 'like', 'shaped', 'style', 'brand', 'variety', 'species']);
/** A noun that can head a compound: not an adverb, a participle ("battery operated", "cat shaped") or a generic noun. */
const isHeadNoun = (t: string) => t.length >= 3 && !NOT_NOUNS.has(t) && !GENERIC_HEADS.has(t) && !/ly$/.test(t) && !/^\d+$/.test(t) && !(t.length > 4 && /(ed|ing)$/.test(t));
