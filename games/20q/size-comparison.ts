import { sizeOverId, sizeUnderId, type KnowledgeBase } from './kb.js';
import type { Mapping } from './mapping.js';
import type { WordEntry } from './words.js';

/** Comparatives the knowledge base answers from the words' sizes (their largest dimension); "smaller" asks the opposite. */
const BIGGER = new Set(['bigger', 'larger', 'taller', 'longer', 'wider', 'greater']);
const SMALLER = new Set(['smaller', 'shorter', 'tinier']);
/** "more than a meter long", "less than a foot tall": a measure with a dimension after it. */
const MORE = new Set(['more', 'over']);
const LESS = new Set(['less', 'under']);
const DIMENSIONS = new Set(['long', 'tall', 'wide', 'high', 'big', 'across', 'in', 'length', 'size', 'height', 'width', 'diameter']);
/** Words between "than" and the thing compared that say nothing about its size ("an average adult"). */
const FILLERS = new Set(['a', 'an', 'the', 'your', 'my', 'average', 'typical', 'normal', 'regular', 'standard', 'ordinary', 'usual', 'common', 'everyday', 'full', 'sized', 'size', 'grown', 'household', 'domestic', 'pet', 'medium', 'family']);
/** Words that only frame the comparative ("is it", "would you say it is", "is it much"). */
const FRAME = new Set([
  'is', 'it', 'are', 'they', 'much', 'a', 'lot', 'any', 'generally', 'usually', 'typically', 'not', 'was', 'be', 'bit', 'little', 'way', 'far', 'does', 'do',
  'measure', 'measures', 'get', 'grow', 'grows', 'would', 'could', 'can', 'will', 'easily', 'you', 'i',
]);
/** "Would it fit in a backpack?": fits when smaller than the container. */
const FIT = new Set(['fit', 'fits']);
const INTO = new Set(['in', 'into', 'inside']);
/** Units of length, in cm. */
const UNITS: Record<string, number> = {
  cm: 1, centimeter: 1, centimeters: 1, centimetre: 1, centimetres: 1, mm: 0.1, millimeter: 0.1, millimeters: 0.1, millimetre: 0.1, millimetres: 0.1,
  m: 100, meter: 100, meters: 100, metre: 100, metres: 100, inch: 2.54, inches: 2.54, foot: 30.48, feet: 30.48, ft: 30.48,
  yard: 91.44, yards: 91.44, km: 100_000, kilometer: 100_000, kilometers: 100_000, kilometre: 100_000, kilometres: 100_000, mile: 160_934, miles: 160_934,
};
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fifteen: 15, twenty: 20,
  thirty: 30, fifty: 50, hundred: 100, half: 0.5, couple: 2, few: 3,
};

/** "a meter", "6 feet", "two metres", "a couple of feet": a length in cm, or undefined. */
export function readLength(tokens: readonly string[]): number | undefined {
  const rest = tokens.filter((t) => t !== 'of' && t !== 'about' && t !== 'around' && t !== 'roughly');
  if (rest.length === 0 || rest.length > 3) return undefined;
  const unit = UNITS[rest.at(-1) as string];
  if (unit === undefined) return undefined;
  const amount = rest.slice(0, -1);
  if (amount.length === 0) return unit;
  let n = 1;
  for (const t of amount) {
    const v = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NUMBER_WORDS[t];
    if (v === undefined) return undefined;
    n = t === 'hundred' ? n * 100 : v;
  }
  return n * unit;
}

/**
 * "Is it bigger than a basketball?", "Is it smaller than a person?", "Is it longer than a foot?", "Is it more than
 * a meter long?", "Would it fit in a backpack?": a comparison that ends the question, with a thing whose size the KB knows (one of the words, a
 * `size_references` entry of kb.json, or a length with its unit), read as the derived attribute size_over:<cm>
 * (size_under:<cm> for "smaller" and "fits in", so that a word is neither bigger nor smaller than itself). Null when the
 * question is not such a comparison, the thing is unknown, or anything else is asked besides.
 *
 * `at`: where the comparative stands; `namedWord`: the word a token span names (variants and synonyms).
 */
export function readSizeComparison(
  tokens: readonly string[],
  at: number,
  kb: KnowledgeBase,
  namedWord: (span: readonly string[]) => WordEntry | undefined,
): Mapping | null {
  const comparative = tokens[at] as string;
  const fit = FIT.has(comparative) && INTO.has(tokens[at + 1] as string);
  if ((tokens[at + 1] !== 'than' && !fit) || tokens.slice(0, at).some((t) => !FRAME.has(t))) return null;
  const not = tokens.slice(0, at).includes('not');
  let smaller: boolean;
  let thing: string[];
  if (fit) {
    smaller = true;
    thing = tokens.slice(at + 2).filter((t) => !FILLERS.has(t));
  } else if (BIGGER.has(comparative) || SMALLER.has(comparative)) {
    smaller = SMALLER.has(comparative);
    thing = tokens.slice(at + 2).filter((t) => !FILLERS.has(t));
  } else if (MORE.has(comparative) || LESS.has(comparative)) {
    // "more than a meter long", "less than 10 cm in length": only lengths, and a dimension must follow
    const rest = tokens.slice(at + 2);
    const dim = rest.findIndex((t) => DIMENSIONS.has(t));
    if (dim <= 0 || rest.slice(dim).some((t) => !DIMENSIONS.has(t))) return null;
    const cm = readLength(rest.slice(0, dim));
    if (cm === undefined) return null;
    smaller = LESS.has(comparative);
    return { kind: 'attribute', id: smaller ? sizeUnderId(cm) : sizeOverId(cm), negated: not };
  } else return null;
  if (thing.length === 0) return null;
  const word = namedWord(thing);
  const phrase = thing.join(' ');
  const cm =
    word !== undefined
      ? kb.file.sizes[word.word]
      : (kb.file.size_references[phrase] ?? kb.file.size_references[phrase.replace(/s$/, '')] ?? readLength(tokens.slice(at + 2)));
  if (cm === undefined) return null;
  return { kind: 'attribute', id: smaller ? sizeUnderId(cm) : sizeOverId(cm), negated: not };
}
