import type { KnowledgeBase } from './kb.js';
import { indexByFirst, occurrences } from './phrase-table.js';
import { matchesAt } from './text.js';
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
export function createNameReader(kb: KnowledgeBase): NameReader {
  const wordVariants = kb.words.map((w) => ({ word: w, variants: [...variantTokens(w), ...(kb.file.synonyms[w.word] ?? []).map((x) => x.split(' '))] }));
  const others = kb.file.other_things.map((x) => x.split(' '));
  const variantIndex = indexByFirst(wordVariants.flatMap(({ word, variants }) => variants.map((v) => ({ tokens: v, item: word }))));
  return {
    namedSpans: (tokens) => occurrences(tokens, variantIndex).map(({ item, start, end }) => ({ word: item, start, end })),
    guessNames(rest) {
      const words: WordEntry[] = [];
      const named: string[] = [];
      let i = 0;
      let bare = true;
      while (i < rest.length) {
        const t = rest[i] as string;
        if (GUESS_FILLERS.has(t) || t === ',') {
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
        if (best) {
          if (!words.includes(best.word)) words.push(best.word);
          i += best.length;
          continue;
        }
        const other = others.filter((o) => matchesAt(rest, i, o)).sort((a, b) => b.length - a.length)[0];
        if (!other) return null;
        named.push(other.join(' '));
        i += other.length;
      }
      return words.length + named.length > 0 ? { words, bare, others: named } : null;
    },
  };
}
