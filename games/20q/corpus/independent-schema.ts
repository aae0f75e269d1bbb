import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseJsonFile } from '../../../registry/parse.js';
import { WORDS } from '../words.js';

/**
 * The independent held-out set (`independent.json`): Questioner turns written by a reviewer who did not write
 * the mapper, labelled from the words' real-world meaning. It is never tuned on: no item of it may be copied
 * into tuning data, phrase tables or tests (games/20q/README.md, "Independent held-out set").
 */
export const INDEPENDENT_GROUPS = ['plain', 'coordination', 'attributes', 'hedged', 'recap_multi', 'off_task', 'wins', 'non_wins', 'small_model'] as const;
export type IndependentGroup = (typeof INDEPENDENT_GROUPS)[number];

const CANONICAL = new Set(WORDS.map((w) => w.word));

export const IndependentItemSchema = z
  .strictObject({
    id: z.string().regex(/^r13-[a-z-]+-\d{3}$/).describe('Stable id: r13, group and a number.'),
    group: z.enum(INDEPENDENT_GROUPS),
    text: z.string().min(1).describe('The Questioner reply as a chat model writes it (read in lenient mode, as the game master reads it).'),
    source: z.string().min(1).describe('Key of `sources`: the public transcript whose phrasing inspired the item.'),
    expect: z.enum(['answer', 'refuse', 'off_task']).describe('answer: a person answers it yes/no for the words below; refuse: it asks which one (no yes/no answer); off_task: not a question about the object.'),
    answers: z.record(z.string(), z.enum(['yes', 'no'])).describe('Expected answer for a few of the 158 words (canonical names), judged from the real world; empty unless expect is answer.'),
    wins_for: z.array(z.string()).describe('Words for which this turn is a correct guess; the win rule must fire for these and for no other word.'),
    note: z.string().optional().describe('Why the label is what it is, where it is not obvious.'),
  })
  .superRefine((item, ctx) => {
    if (item.expect === 'answer' && Object.keys(item.answers).length === 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'an answerable item needs expected answers' });
    if (item.expect !== 'answer' && Object.keys(item.answers).length > 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: `a ${item.expect} item has no expected answers` });
    for (const w of [...Object.keys(item.answers), ...item.wins_for])
      if (!CANONICAL.has(w)) ctx.addIssue({ code: 'custom', path: ['answers'], message: `'${w}' is not the canonical name of one of the 158 words (resources/words.json)` });
    for (const w of item.wins_for)
      if (item.answers[w] !== 'yes') ctx.addIssue({ code: 'custom', path: ['wins_for'], message: `a winning turn for '${w}' must also expect yes for it` });
  });
export type IndependentItem = z.infer<typeof IndependentItemSchema>;

export const IndependentFileSchema = z
  .strictObject({
    description: z.string(),
    author: z.string().min(1),
    written: z.string().min(1).describe('When, and what its author had not read when writing it.'),
    groups: z.record(z.enum(INDEPENDENT_GROUPS), z.string()).describe('What each group holds.'),
    sources: z.record(z.string(), z.string()).describe('Source key → the public transcript (repository and path, or page) and what was taken from it.'),
    items: z.array(IndependentItemSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const texts = new Set<string>();
    file.items.forEach((item, i) => {
      if (ids.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate id '${item.id}'` });
      ids.add(item.id);
      const key = item.text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      if (texts.has(key)) ctx.addIssue({ code: 'custom', path: ['items', i, 'text'], message: `duplicate text '${item.text}'` });
      texts.add(key);
      if (!(item.source in file.sources)) ctx.addIssue({ code: 'custom', path: ['items', i, 'source'], message: `unknown source '${item.source}' (add it to "sources")` });
    });
  })
  .describe('games/20q/corpus/independent.json: the independent held-out set of issue 13 (unknown keys refused).');
export type IndependentFile = z.infer<typeof IndependentFileSchema>;

/** Path of the shipped independent set. */
export const INDEPENDENT_FILE = join(dirname(fileURLToPath(import.meta.url)), 'independent.json');

/** Reads and parses the independent set (errors name the file and the JSON path). */
export function loadIndependentSet(file: string = INDEPENDENT_FILE): IndependentFile {
  return parseJsonFile(IndependentFileSchema, file, readFileSync(file, 'utf8'));
}
