import { sizeOverId, type KnowledgeBase } from './kb.js';
import type { Mapping } from './mapping.js';
import type { WordEntry } from './words.js';

/** Comparatives the knowledge base answers from the words' sizes; "smaller" asks the opposite. */
const BIGGER = new Set(['bigger', 'larger']);
const SMALLER = new Set(['smaller']);
/** Words between "than" and the thing compared that say nothing about its size ("an average adult"). */
const FILLERS = new Set(['a', 'an', 'the', 'your', 'my', 'average', 'typical', 'normal', 'regular', 'standard', 'ordinary', 'usual', 'common', 'everyday', 'full', 'sized', 'size', 'grown']);

/**
 * "Is it bigger than a basketball?", "Is it smaller than a person?": a comparison that ends the question, with
 * a thing whose size the KB knows (one of the words, or a `size_references` entry of kb.json), read as the
 * derived attribute size_over:<cm> (negated for "smaller"). Null when the question is not such a comparison,
 * the thing is unknown, or anything else is asked besides.
 *
 * `at`: where the comparative stands; `namedWords`: the word a token span names (variants and synonyms).
 */
export function readSizeComparison(
  tokens: readonly string[],
  at: number,
  kb: KnowledgeBase,
  namedWord: (span: readonly string[]) => WordEntry | undefined,
): Mapping | null {
  const comparative = tokens[at] as string;
  if ((!BIGGER.has(comparative) && !SMALLER.has(comparative)) || tokens[at + 1] !== 'than') return null;
  // what comes before the comparative only frames it ("is it", "would you say it is", "is it much")
  const before = tokens.slice(0, at).filter((t) => !['is', 'it', 'are', 'they', 'much', 'a', 'lot', 'any', 'generally', 'usually', 'typically', 'not', 'was', 'be', 'bit', 'little', 'way', 'far'].includes(t));
  if (before.length > 0) return null;
  const thing = tokens.slice(at + 2).filter((t) => !FILLERS.has(t));
  if (thing.length === 0) return null;
  const word = namedWord(thing);
  const phrase = thing.join(' ');
  const cm = word !== undefined ? kb.file.sizes[word.word] : (kb.file.size_references[phrase] ?? kb.file.size_references[phrase.replace(/s$/, '')]);
  if (cm === undefined) return null;
  const negated = tokens.slice(0, at).includes('not') !== SMALLER.has(comparative);
  return { kind: 'attribute', id: sizeOverId(cm), negated };
}
