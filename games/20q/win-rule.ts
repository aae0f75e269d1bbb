import { COMPOUND_NAMES } from './compounds.js';
import { focusTokens } from './hedges.js';
import { findPhrase, isFormOf, matchesAt, tokenize } from './text.js';
import { WORDS, type WordEntry } from './words.js';

/** Words that make a question not a single guess ("Is it a cat or a dog?", "Is it not a cat?"). */
const DISQUALIFIERS = new Set(['or', 'either', 'nor', 'neither', 'not', 'never', 'and']);
/** "<counter> of <word>" keeps <word> the head ("a kind of cat", "a pair of shoes", "a piece of paper"). */
export const COUNTERS = new Set(['kind', 'type', 'sort', 'pair', 'piece', 'pack', 'bottle', 'set', 'form', 'variety', 'species', 'bunch', 'box', 'bag', 'stick', 'sheet', 'slice', 'breed',
  // not a counter, but "thinking of <word>" also keeps <word> the guess
  'thinking']);
/** "is it [something that] has keys": a verb before the final noun makes it the verb's object, not the guess. */
const VERBS = new Set([
  'has', 'have', 'had', 'having', 'does', 'do', 'did', 'can', 'could', 'use', 'uses', 'using', 'used', 'make', 'makes', 'contain', 'contains', 'hold', 'holds',
  'need', 'needs', 'eat', 'eats', 'look', 'looks', 'go', 'goes', 'carry', 'carries', 'produce', 'produces', 'require', 'requires', 'fit', 'fits', 'help', 'helps',
  'run', 'runs', 'fly', 'flies', 'get', 'gets', 'keep', 'keeps', 'come', 'comes', 'grow', 'grows', 'live', 'lives', 'play', 'plays', 'wear', 'wears', 'ride',
  'rides', 'cut', 'cuts', 'open', 'opens', 'show', 'shows', 'tell', 'tells', 'take', 'takes', 'put', 'puts', 'sit', 'sits', 'drink', 'drinks', 'write', 'writes',
  'serve', 'serves', 'belong', 'belongs', 'resemble', 'resembles', 'work', 'works', 'attach', 'attaches', 'connect', 'connects', 'cover', 'covers', 'protect', 'protects',
]);
const GUESS_VERBS = new Set(['go', 'going', 'settle', 'settling']);
const GUESSERS = new Set(['i', 'will', 'am', 'would', 'll', 'd', 'shall']);
const PRONOUNS = new Set(['it', 'they']);
const COPULAS = new Set(['is', 'are', 'was', 'were', 'be']);
/** "an animal that eats cats": what follows a relative pronoun describes the thing, it does not name it. */
const RELATIVES = new Set(['that', 'which', 'who', 'whose', 'where', 'when']);
/** Words that are also colours: without an article "Is it orange?" asks the colour. */
const COLOUR_WORDS = new Set(['orange']);
const DETERMINERS = new Set(['a', 'an', 'the', 'one', 'some']);
/** Before the guessed phrase they make it something else: "a toy car" is no car. */
const NOT_THE_THING = new Set(['toy', 'model', 'miniature', 'fake', 'replica', 'stuffed', 'picture', 'drawing', 'statue', 'cartoon']);
/** Tokens that open a guess frame ("is it", "are they", "the answer", "something"). */
const FRAME = new Set(['is', 'it', 'are', 'they', 'be', 'was', 'were', 'answer', 'word', 'object', 'thing', 'guess', 'called', 'named', 'something', 'item']);
/** A preposition before the final noun phrase makes it an object, not the guess ("Is it found in a car?"). */
const PREPOSITIONS = new Set(['like', 'unlike', 'except', 'besides', 'excluding', 'instead', 'as', 'in', 'on', 'at', 'from', 'with', 'into', 'inside', 'under', 'near', 'for', 'by', 'than', 'to', 'about', 'of', 'without', 'through', 'onto', 'over', 'behind', 'above', 'below', 'around', 'beside', 'next', 'among', 'within', 'against']);

const tokensOfVariants = (word: WordEntry) => word.variants.map((v) => tokenize(v)).sort((a, b) => b.length - a.length);
/** Computed once for the shipped words (read-only after load). */
const SHIPPED_VARIANT_TOKENS: ReadonlyMap<WordEntry, string[][]> = new Map(WORDS.map((w) => [w, tokensOfVariants(w)]));

/** Token sequences of a word's variants, longest first. */
export function variantTokens(word: WordEntry): string[][] {
  return SHIPPED_VARIANT_TOKENS.get(word) ?? tokensOfVariants(word);
}

/**
 * Where the guessed noun phrase starts when the question ends with one of `word`'s variants and nothing
 * before it (back to the frame "is it", "are they", …) is a preposition; -1 when it does not end so.
 */
export function finalPhraseStart(tokens: readonly string[], word: WordEntry): number {
  for (const v of variantTokens(word)) {
    const start = endsWithVariant(tokens, v);
    if (start < 0) continue;
    let i = start - 1;
    while (i >= 0) {
      const t = tokens[i] as string;
      // "does it have keys", "can it climb trees": a pronoun without "is"/"be" next to it opens no guess
      if (PRONOUNS.has(t)) return COPULAS.has(tokens[i - 1] as string) || COPULAS.has(tokens[i + 1] as string) ? start : -1;
      if (FRAME.has(t)) return start;
      if (RELATIVES.has(t) || VERBS.has(t)) return -1;
      // "I'll go with a cat", "I'll settle on a cat": the verb before the preposition makes the guess
      if ((t === 'with' || t === 'on') && GUESS_VERBS.has(tokens[i - 1] as string) && GUESSERS.has(tokens[i - 2] as string)) return start;
      if ((t === 'of' || (t === 'about' && tokens[i - 1] === 'thinking')) && i > 0 && COUNTERS.has(tokens[i - 1] as string)) {
        i -= 2;
        continue;
      }
      if (PREPOSITIONS.has(t)) return -1;
      // "anything but a cat", "everything but a cat": an exception, not a guess
      if (t === 'but' && ['anything', 'everything', 'nothing', 'all'].includes(tokens[i - 1] as string)) return -1;
      i -= 1;
    }
    return start;
  }
  return -1;
}

/**
 * Where `tokens` end with the variant `v`, or -1: token by token (the last may be a plural), or written as one
 * word or two ("lawnmower" for "lawn mower", "paint brush" for "paintbrush").
 */
function endsWithVariant(tokens: readonly string[], v: readonly string[]): number {
  const n = tokens.length;
  if (n >= v.length && matchesAt(tokens, n - v.length, v)) return n - v.length;
  const last = tokens[n - 1];
  if (last === undefined) return -1;
  if (v.length > 1 && isFormOf(last, v.join(''))) return n - 1;
  if (v.length === 1 && n >= 2) {
    const joined = `${tokens[n - 2]}${last}`;
    if (isFormOf(joined, v[0] as string) && (tokens[n - 2] as string).length >= 3 && last.length >= 3) return n - 2;
  }
  return -1;
}

const COMPOUND_TOKENS: readonly string[][] = COMPOUND_NAMES.map((c) => c.split(' '));

/** The question ends with a compound that holds the guessed phrase but names something else ("a sea horse", "a hot dog"). */
function endsInCompound(tokens: readonly string[], start: number): boolean {
  return COMPOUND_TOKENS.some((c) => c.length > tokens.length - start && endsWithVariant(tokens, c) >= 0 && endsWithVariant(tokens, c) < start);
}

/**
 * LMRL-Gym's win rule without NLTK (`is_done` in LMRL env/data.py): a question wins for `target` when it
 * ends with one of the target's variants (plural tolerant: "Is it a shoe?", "Is it a pair of shoes?", "Is
 * it cats?"), it names no other word of the list before that phrase, and it is a single positive guess
 * (no "or", "and", "not"). The Answerer's "Yes." is checked by the caller. Differences from LMRL: other
 * nouns that are not candidate words are allowed ("Is it a pear or an apple?" still fails, on "or"), and a
 * preposition before the phrase makes it no guess ("Is it found in a car?").
 */
export function isCorrectGuess(question: string, target: WordEntry, words: readonly WordEntry[] = WORDS): boolean {
  return correctGuessIn(readGuess(question), target, words);
}

/** The words a question is a correct guess of (at most the near-duplicates a single name can win), reading it once. */
export function correctGuesses(question: string, words: readonly WordEntry[] = WORDS): WordEntry[] {
  const tokens = readGuess(question);
  return words.filter((w) => correctGuessIn(tokens, w, words));
}

const readGuess = (question: string): string[] => focusTokens(question).filter((t) => t !== ',');

function correctGuessIn(tokens: readonly string[], target: WordEntry, words: readonly WordEntry[]): boolean {
  if (tokens.length === 0 || tokens.some((t) => DISQUALIFIERS.has(t))) return false;
  const start = finalPhraseStart(tokens, target);
  if (start < 0 || NOT_THE_THING.has(tokens[start - 1] as string) || endsInCompound(tokens, start)) return false;
  if (start === tokens.length - 1 && COLOUR_WORDS.has(tokens[start] as string) && !DETERMINERS.has(tokens[start - 1] as string)) return false;
  const before = tokens.slice(0, start);
  const targetKey = target.word.toLowerCase();
  for (const other of words) {
    if (other.word.toLowerCase() === targetKey) continue;
    // another word before the guess, or one that ends the question and starts earlier ("a pine apple" is a pineapple)
    if (variantTokens(other).some((v) => findPhrase(before, v).length > 0 || (endsWithVariant(tokens, v) >= 0 && endsWithVariant(tokens, v) < start))) return false;
  }
  return true;
}
