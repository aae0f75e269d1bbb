import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseJsonFile } from '../../../registry/parse.js';
import { WORDS } from '../words.js';

/**
 * The independent held-out sets (`independent.json`, `independent-2.json`): Questioner turns written by engineers who
 * did not write the mapper, labelled from the words' real-world meaning. They are never tuned on: no item of them may
 * be copied into tuning data, phrase tables or tests (games/20q/README.md, "Independent held-out set").
 */
export const INDEPENDENT_GROUPS = ['plain', 'coordination', 'attributes', 'hedged', 'recap_multi', 'off_task', 'wins', 'non_wins', 'small_model'] as const;
export type IndependentGroup = (typeof INDEPENDENT_GROUPS)[number];

const CANONICAL = new Set(WORDS.map((w) => w.word));

/**
 * The independent held-out sets, each written by someone who did not write the mapper: `independent.json` (r13; split
 * into a dev half that may be listed item by item and a blind half) and `independent-2.json` (f13; all blind, the final
 * measure: only ever reported as figures). `idPrefix` is the first part of every id in the file.
 */
export const INDEPENDENT_SETS = [
  { name: 'independent', file: 'independent.json', idPrefix: 'r13', halves: true },
  { name: 'independent-2', file: 'independent-2.json', idPrefix: 'f13', halves: false },
] as const satisfies readonly IndependentSetSpec[];

/** One independent set: its name in the figures, its file beside this one, its id prefix, and whether it has dev/blind halves. */
export interface IndependentSetSpec {
  name: string;
  file: string;
  idPrefix: string;
  /** true: odd ids are the dev half, even ids the blind half; false: the whole set is blind. */
  halves: boolean;
}

/** The schema of one item of an independent set whose ids start with `idPrefix` (e.g. `r13`, `f13`). */
export function independentItemSchema(idPrefix: string) {
  if (!/^[a-z0-9]+$/.test(idPrefix)) throw new Error(`an id prefix is lower-case letters and digits, got '${idPrefix}'`);
  return z
    .strictObject({
      id: z.string().regex(new RegExp(`^${idPrefix}-[a-z-]+-\\d{3}$`)).describe(`Stable id: ${idPrefix}, group and a number.`),
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
}

/** The schema of an item of the first independent set (ids `r13-…`); every set's items have this shape. */
export const IndependentItemSchema = independentItemSchema('r13');
export type IndependentItem = z.infer<typeof IndependentItemSchema>;

/** The schema of an independent set file whose ids start with `idPrefix` (unknown keys refused). */
export function independentFileSchema(idPrefix: string) {
  return z
    .strictObject({
      description: z.string(),
      author: z.string().min(1),
      written: z.string().min(1).describe('When, and what its author had not read when writing it.'),
      groups: z.record(z.enum(INDEPENDENT_GROUPS), z.string()).describe('What each group holds.'),
      sources: z.record(z.string(), z.string()).describe('Source key → the public transcript (repository and path, or page) and what was taken from it.'),
      items: z.array(independentItemSchema(idPrefix)).min(1),
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
    .describe(`games/20q/corpus/independent*.json: an independent held-out set of issue 13, ids ${idPrefix}-… (unknown keys refused).`);
}

/** The schema of the first independent set (`independent.json`, ids `r13-…`). */
export const IndependentFileSchema = independentFileSchema('r13');
export type IndependentFile = z.infer<typeof IndependentFileSchema>;

/** The folder of the shipped independent sets (beside this file). */
const here = dirname(fileURLToPath(import.meta.url));

/** The spec of the independent set called `name` (`independent`, `independent-2`); throws on an unknown name. */
export function independentSet(name: string): IndependentSetSpec {
  const spec = INDEPENDENT_SETS.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no independent set '${name}'; known: ${INDEPENDENT_SETS.map((s) => s.name).join(', ')}`);
  return spec;
}

/**
 * Reads and parses an independent set (errors name the file and the JSON path): a spec of INDEPENDENT_SETS (its file
 * beside this one, checked with its id prefix), or a path read as the first set (ids `r13-…`). Default: `independent.json`.
 */
export function loadIndependentSet(set: IndependentSetSpec | string = INDEPENDENT_SETS[0]): IndependentFile {
  const [file, idPrefix] = typeof set === 'string' ? [set, 'r13'] : [join(here, set.file), set.idPrefix];
  return parseJsonFile(independentFileSchema(idPrefix), file, readFileSync(file, 'utf8'));
}
