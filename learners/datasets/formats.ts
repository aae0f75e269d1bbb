import { z } from 'zod';

/**
 * The dataset files `learn sft-data` and `learn dpo-data` write, one JSON object per line (JSON Lines), in the
 * formats TRL documents ("Dataset formats and types"): `datasets.load_dataset("json", data_files=…)` loads them
 * and SFTTrainer / DPOTrainer take them without conversion. Every row carries `metadata` with the same keys and
 * types on every line (Arrow infers one schema per column; a key that comes and goes, or changes type, breaks
 * loading). Unknown keys are refused: these are our own files.
 */

export const DatasetMessageSchema = z
  .strictObject({
    role: z.enum(['system', 'user', 'assistant']).describe('Who said it: the game master\'s prompts are `user`, the player\'s replies `assistant`.'),
    content: z.string().describe('The message text, as the player saw it or said it.'),
  })
  .describe('One chat message (TRL conversational format).');
export type DatasetMessage = z.infer<typeof DatasetMessageSchema>;

const AssistantMessageSchema = z.strictObject({
  role: z.literal('assistant'),
  content: z.string(),
});

/** Where a row comes from; the same keys on every row of every file (missing numbers are null). */
export const RowMetadataSchema = z
  .strictObject({
    game: z.string().describe('The game (game_name).'),
    experiment: z.string().describe('The experiment the episode belongs to.'),
    game_id: z.number().int().describe('The instance\'s game_id within its experiment.'),
    episode: z.string().describe('The episode folder, relative to the results folder (model pair/game/experiment/episode_N).'),
    role: z.string().describe('The role of the player whose replies are trained on.'),
    player: z.string().describe('The player\'s name in the episode ("Player 1", …).'),
    model: z.string().describe('The model that played the recorded episode in this role.'),
    outcome: z.enum(['success', 'lose', 'aborted', 'unknown']).describe('The recorded episode\'s outcome.'),
    main_score: z.number().nullable().describe('The episode\'s Main Score (0–100), null when it has none.'),
    instance_key: z.string().describe('What the train/validation split groups by: rows with the same key are on the same side.'),
    split: z.enum(['train', 'validation']),
  })
  .describe('Provenance of a dataset row.');
export type RowMetadata = z.infer<typeof RowMetadataSchema>;

/** TRL conversational language modeling: the player's whole conversation; the trainer learns its `assistant` turns. */
export const SftRowSchema = z
  .strictObject({
    messages: z.array(DatasetMessageSchema).min(2).describe('The conversation as the player saw it: system prompt if any, game master `user`, player `assistant`.'),
    metadata: RowMetadataSchema,
  })
  .describe('One SFT example in TRL\'s conversational language-modeling format.');
export type SftRow = z.infer<typeof SftRowSchema>;

/** OpenAI's chat fine-tuning format: only `messages` (the API refuses other keys); `weight` 0 skips an assistant turn. */
export const OpenAIChatRowSchema = z
  .strictObject({
    messages: z
      .array(
        z.union([
          z.strictObject({ role: z.enum(['system', 'user']), content: z.string() }),
          z.strictObject({ role: z.literal('assistant'), content: z.string(), weight: z.union([z.literal(0), z.literal(1)]).optional() }),
        ]),
      )
      .min(2),
  })
  .describe('One example in OpenAI\'s chat fine-tuning format.');
export type OpenAIChatRow = z.infer<typeof OpenAIChatRowSchema>;

/** The state a preference pair was built at, on top of the row metadata. */
export const PairMetadataSchema = RowMetadataSchema.extend({
  turn: z.number().int().nonnegative().describe('The player\'s reply index in the episode (0-based) the pair replaces.'),
  state_id: z.string().describe('Stable id of the state: episode and turn; a resumed run skips states whose id is done.'),
  reward: z.string().describe('The reward that ranked the candidates (eig, mr, logprob, judge, refeval).'),
  policy: z.string().describe('The model that sampled the candidates.'),
  candidates: z.number().int().positive().describe('Candidate replies sampled and scored.'),
  scores: z.array(z.number().nullable()).describe('Every candidate\'s reward, in sampling order (null: the reward could not score it).'),
  recorded_reply: z.string().describe('What the player actually replied in the recorded episode.'),
  ref_model: z.string().nullable().describe('The reference model of ref_chosen_logps / ref_rejected_logps, null without one.'),
});
export type PairMetadata = z.infer<typeof PairMetadataSchema>;

/**
 * TRL conversational preference with an explicit prompt: `prompt` is the player's history up to the turn, `chosen`
 * and `rejected` one assistant message each. `score_chosen` / `score_rejected` are the reward's values (as in
 * CollabLLM's DPO data). With a reference model, `ref_chosen_logps` / `ref_rejected_logps` hold the summed
 * reference log-probabilities of each reply's tokens and the end-of-turn token the chat template writes after it
 * (nothing the template writes after that), the reply tokenized apart from the prompt's rendered text: the tokens
 * `learn dpo` trains and, for conversational rows, the completion TRL's DPOTrainer scores since huggingface/trl#4908
 * (January 2026). Older TRL versions also scored the template's text after the end-of-turn token and one more EOS
 * (trl#4481), so with them the columns must be dropped; see learners/README.md.
 */
export const DpoRowSchema = z
  .strictObject({
    prompt: z.array(DatasetMessageSchema).min(1).describe('The messages before the reply, ending with the game master\'s `user` message.'),
    chosen: z.array(AssistantMessageSchema).length(1).describe('The best-scored candidate reply.'),
    rejected: z.array(AssistantMessageSchema).length(1).describe('The worst-scored candidate reply.'),
    score_chosen: z.number(),
    score_rejected: z.number(),
    ref_chosen_logps: z.number().optional().describe('Summed reference log-probability (nats) of `chosen`: its tokens and the end-of-turn token after them; in every row or in none.'),
    ref_rejected_logps: z.number().optional().describe('Summed reference log-probability (nats) of `rejected`: its tokens and the end-of-turn token after them; in every row or in none.'),
    metadata: PairMetadataSchema,
  })
  .superRefine((row, ctx) => {
    if ((row.ref_chosen_logps === undefined) !== (row.ref_rejected_logps === undefined))
      ctx.addIssue({ code: 'custom', path: ['ref_rejected_logps'], message: 'ref_chosen_logps and ref_rejected_logps come together' });
    if (row.score_chosen < row.score_rejected) ctx.addIssue({ code: 'custom', path: ['score_chosen'], message: 'the chosen reply scores below the rejected one' });
    if (row.prompt.at(-1)?.role === 'assistant') ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'the prompt ends with an assistant message' });
  })
  .describe('One DPO example in TRL\'s conversational preference format (explicit prompt).');
export type DpoRow = z.infer<typeof DpoRowSchema>;

/** OpenAI's preference fine-tuning format (DPO): `input.messages`, `preferred_output`, `non_preferred_output`. */
export const OpenAIPreferenceRowSchema = z
  .strictObject({
    input: z.strictObject({ messages: z.array(DatasetMessageSchema).min(1) }),
    preferred_output: z.array(AssistantMessageSchema).length(1),
    non_preferred_output: z.array(AssistantMessageSchema).length(1),
  })
  .describe('One example in OpenAI\'s preference fine-tuning format.');
export type OpenAIPreferenceRow = z.infer<typeof OpenAIPreferenceRowSchema>;

/** The output formats a dataset verb can write. */
export const DATASET_FORMATS = ['trl', 'openai'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
