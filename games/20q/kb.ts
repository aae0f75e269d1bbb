import { z } from 'zod';
import kbData from './resources/kb.json' with { type: 'json' };
import { parseData } from '../../registry/parse.js';
import { WORDS, type WordEntry } from './words.js';

const PhraseSchema = z.string().regex(/^[a-z0-9]+( [a-z0-9]+)*$/, 'a phrase is normalised: lower-case words separated by single spaces');

export const KbAttributeSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/).describe('Attribute id (snake_case).'),
  question: z.string().endsWith('?').describe('The canonical yes/no question; programs ask it verbatim.'),
  description: z.string().optional().describe('How the typical case was decided where it is not obvious.'),
  phrases: z.array(PhraseSchema).min(1).describe('Phrases that ask this attribute.'),
  negative_phrases: z.array(PhraseSchema).optional().describe('Phrases that ask its opposite ("natural" for man_made).'),
});

export const KbCategorySchema = z.strictObject({
  name: z.string().min(1),
  question: z.string().endsWith('?'),
  phrases: z.array(PhraseSchema).min(1),
});

export const KbWordSchema = z.strictObject({
  word: z.string().min(1),
  category: z.string().min(1),
  yes: z.array(z.string()).describe('The attributes true of this word; every other attribute is false.'),
});

/**
 * resources/kb.json: the knowledge base behind `kb-oracle`, `kb-greedy` and the information-gain scores.
 * Unknown keys refused; every `yes` id must be a declared attribute, each word listed once.
 */
export const KbFileSchema = z
  .strictObject({
    description: z.string(),
    never_phrases: z.array(PhraseSchema).describe('Phrases asking something no word is ("a bird", "made of glass"): answered No for every word.'),
    unknown_phrases: z
      .array(PhraseSchema)
      .describe('Qualifiers the KB has no value for ("raw", "bigger than" a thing it has no threshold for): a question holding one is unmapped unless a longer known phrase covers it.'),
    synonyms: z
      .record(z.string(), z.array(PhraseSchema))
      .default({})
      .describe('Other names of a word ("sofa" for Couch): the mapper reads them as the word; the win rule does not (only LMRL\'s variants win).'),
    other_things: z
      .array(PhraseSchema)
      .default([])
      .describe('Things that are none of the words ("pear", "bicycle"): guessing one is answered No for every word.'),
    combined_phrases: z
      .array(
        z.strictObject({
          phrase: PhraseSchema,
          all: z.array(z.string().regex(/^!?[a-z][a-z0-9_]*$/)).min(2).describe('Attribute ids that must all hold; `!id` asks the opposite.'),
        }),
      )
      .default([])
      .describe('Phrases that ask several attributes at once ("big cat": feline and wild; "fresh water": a body of water, not salty).'),
    sizes: z
      .record(z.string(), z.number().positive())
      .default({})
      .describe('Typical size of each word in cm, about its largest dimension (less for long, thin or soft things: a football by its bulk, a scarf): answers "Is it bigger than <a word or a size reference>?" (size-comparison.ts); it agrees with the size attributes (kb.test.ts).'),
    size_references: z
      .record(PhraseSchema, z.number().positive())
      .default({})
      .describe('Things that are none of the words but that questions compare sizes with ("a person", "a shoebox"), in cm.'),
    near_duplicates: z.array(z.strictObject({ words: z.array(z.string()).min(2), note: z.string() })).describe('Words no attribute separates, documented on purpose.'),
    attributes: z.array(KbAttributeSchema).min(40),
    categories: z.array(KbCategorySchema).min(1),
    words: z.array(KbWordSchema).min(1),
  })
  .superRefine((kb, ctx) => {
    const ids = new Set<string>();
    kb.attributes.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: ['attributes', i, 'id'], message: `duplicate attribute '${a.id}'` });
      ids.add(a.id);
    });
    kb.combined_phrases.forEach((c, i) =>
      c.all.forEach((id, j) => {
        if (!ids.has(id.replace(/^!/, ''))) ctx.addIssue({ code: 'custom', path: ['combined_phrases', i, 'all', j], message: `unknown attribute '${id}'` });
      }),
    );
    const cats = new Set(kb.categories.map((c) => c.name));
    const named = new Set(kb.words.map((w) => w.word));
    for (const word of Object.keys(kb.sizes)) if (!named.has(word)) ctx.addIssue({ code: 'custom', path: ['sizes', word], message: `unknown word '${word}'` });
    if (Object.keys(kb.sizes).length > 0)
      for (const w of kb.words) if (kb.sizes[w.word] === undefined) ctx.addIssue({ code: 'custom', path: ['sizes'], message: `no size for '${w.word}' (every word needs one once sizes are given)` });
    for (const word of Object.keys(kb.synonyms))
      if (!named.has(word)) ctx.addIssue({ code: 'custom', path: ['synonyms', word], message: `unknown word '${word}'` });
    const seen = new Set<string>();
    kb.words.forEach((w, i) => {
      if (seen.has(w.word)) ctx.addIssue({ code: 'custom', path: ['words', i, 'word'], message: `duplicate word '${w.word}'` });
      seen.add(w.word);
      if (!cats.has(w.category)) ctx.addIssue({ code: 'custom', path: ['words', i, 'category'], message: `unknown category '${w.category}'` });
      w.yes.forEach((id, j) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['words', i, 'yes', j], message: `unknown attribute '${id}'` });
      });
    });
  })
  .describe('The 20q knowledge base (clem-ts format; unknown keys refused).');
export type KbFile = z.infer<typeof KbFileSchema>;
export type KbAttribute = z.infer<typeof KbAttributeSchema>;
export type KbCategory = z.infer<typeof KbCategorySchema>;

/** A parsed knowledge base with the lookups players need. Immutable. */
export interface KnowledgeBase {
  readonly file: KbFile;
  readonly words: readonly WordEntry[];
  readonly attributes: readonly KbAttribute[];
  readonly categories: readonly KbCategory[];
  /**
   * Whether `attribute` is true of `word` (canonical name). Throws on an unknown word. Besides the declared
   * attributes, `size_over:<cm>` is true when the word's typical largest dimension exceeds <cm> (sizeOverId), and
   * `size_under:<cm>` when it is less than <cm> (sizeUnderId: a word is neither bigger nor smaller than itself).
   */
  has(word: string, attribute: string): boolean;
  categoryOf(word: string): string;
}

const SIZE_OVER = 'size_over:';
const SIZE_UNDER = 'size_under:';
/** The derived attribute "bigger than `cm`" (KnowledgeBase.has reads it from the words' sizes). */
export const sizeOverId = (cm: number): string => `${SIZE_OVER}${cm}`;
/** The derived attribute "smaller than `cm`": false for a word of exactly that size, so "smaller than a mountain" is no for Mountain. */
export const sizeUnderId = (cm: number): string => `${SIZE_UNDER}${cm}`;

/** Builds the lookups of a KB; throws when the KB and the word list disagree on a word or its category. */
export function createKnowledgeBase(file: KbFile, words: readonly WordEntry[] = WORDS): KnowledgeBase {
  const byWord = new Map(file.words.map((w) => [w.word, { category: w.category, yes: new Set(w.yes) }]));
  const problems: string[] = [];
  for (const w of words) {
    const entry = byWord.get(w.word);
    if (!entry) problems.push(`word '${w.word}' is missing from the knowledge base`);
    else if (entry.category !== w.category) problems.push(`word '${w.word}': category '${entry.category}' in the KB, '${w.category}' in words.json`);
  }
  if (file.words.length !== words.length) problems.push(`the KB has ${file.words.length} words, words.json ${words.length}`);
  if (problems.length > 0) throw new Error(`games/20q knowledge base: ${problems.join('; ')}`);
  const lookup = (word: string) => {
    const entry = byWord.get(word);
    if (!entry) throw new Error(`games/20q knowledge base: unknown word '${word}'`);
    return entry;
  };
  return {
    file,
    words,
    attributes: file.attributes,
    categories: file.categories,
    has: (word, attribute) => {
      const entry = lookup(word);
      const over = attribute.startsWith(SIZE_OVER);
      if (!over && !attribute.startsWith(SIZE_UNDER)) return entry.yes.has(attribute);
      const size = file.sizes[word];
      if (size === undefined) throw new Error(`games/20q knowledge base: no size for '${word}' (kb.json "sizes")`);
      const cm = Number(attribute.slice((over ? SIZE_OVER : SIZE_UNDER).length));
      return over ? size > cm : size < cm;
    },
    categoryOf: (word) => lookup(word).category,
  };
}

/** The shipped knowledge base (resources/kb.json), parsed and checked against words.json at load. */
export const KB: KnowledgeBase = createKnowledgeBase(parseData(KbFileSchema, 'games/20q/resources/kb.json', kbData as unknown));
