import { z } from 'zod';
import wordsData from './resources/words.json' with { type: 'json' };
import { parseData } from '../../registry/parse.js';

/** resources/words.json: LMRL-Gym's 158 words in 17 categories with their accepted variants. Unknown keys refused. */
export const WordEntrySchema = z.strictObject({
  word: z.string().min(1).describe('Canonical name (the first LMRL variant).'),
  variants: z.array(z.string().min(1)).min(1).describe('Accepted names, the canonical one first (LMRL `WordVariants`).'),
  category: z.string().min(1).describe('LMRL category name.'),
  article: z.enum(['a', 'an', '']).describe('Article used when a program phrases a guess ("Is it an apple?", "Is it paper?").'),
});
export type WordEntry = z.infer<typeof WordEntrySchema>;

export const WordsFileSchema = z
  .strictObject({
    source: z.string(),
    categories: z.array(z.string().min(1)).min(1),
    words: z.array(WordEntrySchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.words.forEach((w, i) => {
      if (!file.categories.includes(w.category)) ctx.addIssue({ code: 'custom', path: ['words', i, 'category'], message: `unknown category '${w.category}'` });
      if (w.variants[0] !== w.word) ctx.addIssue({ code: 'custom', path: ['words', i, 'variants', 0], message: `the first variant must be the word '${w.word}'` });
      const key = w.word.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['words', i, 'word'], message: `duplicate word '${w.word}'` });
      seen.add(key);
    });
  })
  .describe('The 20q word list (clem-ts format; unknown keys refused).');
export type WordsFile = z.infer<typeof WordsFileSchema>;

/** The shipped word list, parsed once at load (a malformed file fails loudly with its JSON path). */
export const WORDS_FILE: WordsFile = parseData(WordsFileSchema, 'games/20q/resources/words.json', wordsData as unknown);
export const WORDS: readonly WordEntry[] = WORDS_FILE.words;
export const CATEGORIES: readonly string[] = WORDS_FILE.categories;

/** The entry of a word by any of its variants (case-insensitive), or undefined. */
export function findWord(name: string, words: readonly WordEntry[] = WORDS): WordEntry | undefined {
  const key = name.trim().toLowerCase();
  return words.find((w) => w.variants.some((v) => v.toLowerCase() === key));
}

/** "Is it a cat?" / "Is it an apple?" / "Is it paper?": how programs phrase a guess. */
export function guessQuestion(word: WordEntry): string {
  const name = word.word.toLowerCase();
  return word.article === '' ? `Is it ${name}?` : `Is it ${word.article} ${name}?`;
}
