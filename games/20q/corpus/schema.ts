import { z } from 'zod';

/** The groups of the question corpus (games/20q/README.md, "Question corpus"). */
export const CORPUS_GROUPS = ['plain', 'coordination', 'new_attributes', 'hedges', 'off_task', 'guesses', 'beyond_kb'] as const;
export type CorpusGroup = (typeof CORPUS_GROUPS)[number];
export const CORPUS_SPLITS = ['tuned', 'held_out'] as const;
export type CorpusSplit = (typeof CORPUS_SPLITS)[number];

const GoldSchema = z.enum(['yes', 'no']);

export const CorpusItemSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9_-]+$/).describe('Stable id: group, template and a number.'),
    group: z.enum(CORPUS_GROUPS),
    split: z.enum(CORPUS_SPLITS).describe('tuned: the mapper may be tuned on it; held_out: never looked at item by item while tuning.'),
    text: z.string().min(1).describe('The Questioner reply as a chat model writes it (read in lenient mode, as the game master reads it).'),
    source: z.string().min(1).describe('Where the question comes from: the template or hand-written list in games/20q/corpus/sources/ and the slot values.'),
    meaning: z.string().describe('What the question asks, in the corpus meaning notation (meaning.ts); the answers below are derived from it.'),
    expect: z.enum(['answer', 'refuse', 'off_task']).describe('answer: a person would answer it for these words; refuse: ambiguous, no yes/no answer; off_task: not a question about the object.'),
    answers: z.record(z.string(), GoldSchema).describe('The expected answer for a few target words (canonical names); empty unless expect is answer.'),
    wins_for: z.array(z.string()).describe('Words for which this turn is a correct guess (the win rule must fire); the win rule must fire for no other word.'),
  })
  .superRefine((item, ctx) => {
    if (item.expect === 'answer' && Object.keys(item.answers).length === 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'an answerable item needs expected answers' });
    if (item.expect !== 'answer' && Object.keys(item.answers).length > 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: `a ${item.expect} item has no expected answers` });
  });
export type CorpusItem = z.infer<typeof CorpusItemSchema>;

export const CorpusFileSchema = z
  .strictObject({
    description: z.string(),
    items: z.array(CorpusItemSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate id '${item.id}'` });
      seen.add(item.id);
    });
  })
  .describe('games/20q/corpus/questions.json: questions as chat models phrase them, with expected answers (built by build.ts; unknown keys refused).');
export type CorpusFile = z.infer<typeof CorpusFileSchema>;
