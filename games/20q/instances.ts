import { z } from 'zod';
import { createRng } from '../../base/rng.js';
import type { InstancesFile } from '../../registry/instances.js';
import { CATEGORIES, WORDS, findWord } from './words.js';

/** One 20q episode: the hidden word (one of the 158 KB words), its accepted variants and category. Unknown keys refused. */
export const TwentyQInstanceSchema = z
  .strictObject({
    game_id: z.number().int().nonnegative(),
    target: z.string().min(1).describe('The hidden word: the canonical name of one of the 158 words in resources/words.json.'),
    variants: z.array(z.string().min(1)).min(1).describe('Accepted names of the target (a guess naming any of them wins), canonical first.'),
    category: z.string().min(1).describe('The target\'s LMRL category (information only; the Questioner is not told).'),
  })
  .superRefine((inst, ctx) => {
    const word = findWord(inst.target);
    if (!word || word.word !== inst.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: `'${inst.target}' is not a word of the 20q knowledge base (resources/words.json)` });
    else if (word.category !== inst.category) ctx.addIssue({ code: 'custom', path: ['category'], message: `'${inst.target}' is in category '${word.category}', not '${inst.category}'` });
  });
export type TwentyQInstance = z.infer<typeof TwentyQInstanceSchema>;

/**
 * Experiment-level options (the game's rules); every field has the LMRL default. Unknown keys are kept:
 * the runner's experiment.json adds its own (game_name, timestamp, player_models), as clemcore's does.
 */
export const TwentyQExperimentSchema = z.looseObject({
  name: z.string().min(1),
  max_questions: z.number().int().min(1).max(100).default(20).describe('Questions allowed, guesses included (LMRL: 20).'),
  strict: z
    .boolean()
    .default(true)
    .describe('true: a reply that is not exactly one yes/no question aborts the episode. false: the first question of a longer reply is taken and the reply counted as violated.'),
  allow_maybe: z.boolean().default(false).describe('Let the Answerer say "Maybe." (EDA); LMRL allows only "Yes."/"No.".'),
  answerer_fallback: z.enum(['No.', 'Yes.', 'Maybe.']).default('No.').describe('Used when the Answerer\'s reply is unreadable twice (LMRL: "No.").'),
  max_question_words: z.number().int().min(3).max(200).default(40).describe('Longest question accepted, in words (LMRL: 40).'),
});
export type TwentyQExperiment = z.infer<typeof TwentyQExperimentSchema>;

const DEFAULT_OPTIONS = { max_questions: 20, strict: true, allow_maybe: false, answerer_fallback: 'No.', max_question_words: 40 } as const;

/**
 * The default instance set: `all_words` (the 158 words in LMRL order, so game_id = LMRL's word index) and
 * `one_per_category` (one word per category, drawn with the seeded RNG). Same seed, same file.
 */
export function generateInstances(seed: number): InstancesFile {
  const rng = createRng(seed);
  const instance = (game_id: number, w: (typeof WORDS)[number]) => ({ game_id, target: w.word, variants: [...w.variants], category: w.category });
  return {
    experiments: [
      { name: 'all_words', ...DEFAULT_OPTIONS, game_instances: WORDS.map((w, i) => instance(i, w)) },
      {
        name: 'one_per_category',
        ...DEFAULT_OPTIONS,
        game_instances: CATEGORIES.map((c, i) => instance(i, rng.pick(WORDS.filter((w) => w.category === c)))),
      },
    ],
  };
}
