import { z } from 'zod';
import { DatasetMessageSchema } from '../datasets/index.js';

// Apart from training-data.ts (which tokenizes them): the row formats need no local runtime, types included.
/**
 * What `learn sft|dpo|pg --data FILE` reads. SFT and DPO take TRL's conversational formats, as `learn sft-data`
 * and `learn dpo-data` write them (learners/datasets); keys beyond the ones read here (metadata, scores) are
 * ignored, so a TRL dataset from elsewhere trains too. Policy-gradient rows are our own format (below).
 */
export const TrainSftRowSchema = z.looseObject({
  messages: z.array(DatasetMessageSchema).min(2),
});
export const TrainDpoRowSchema = z.looseObject({
  prompt: z.array(DatasetMessageSchema).min(1),
  chosen: z.array(DatasetMessageSchema).min(1),
  rejected: z.array(DatasetMessageSchema).min(1),
  ref_chosen_logps: z.number().optional(),
  ref_rejected_logps: z.number().optional(),
});

/**
 * A policy-gradient row: a conversation whose assistant replies are the actions, and their weights (a reward or an
 * advantage; negative pushes a reply's probability down). Exactly one of: `weight` for every assistant token
 * (per sequence), `turn_weights` one per message (assistant messages only; null or 0 leaves a reply out), or
 * `token_weights` one per assistant token in order, as the base model's chat template tokenizes them (the end-of-turn
 * token included). The loss is −Σ w·log p(token) over the step's assistant tokens divided by their number, so
 * weights of 1 everywhere train exactly as SFT does.
 */
export const PgRowSchema = z
  .strictObject({
    messages: z.array(DatasetMessageSchema).min(2),
    weight: z.number().optional().describe('Per-sequence weight of every assistant token.'),
    turn_weights: z.array(z.number().nullable()).optional().describe('One per message: the weight of that assistant reply (null for other messages).'),
    token_weights: z.array(z.number()).optional().describe('One per assistant token, in order (tokenizer-specific).'),
    metadata: z.record(z.string(), z.unknown()).optional().describe('Free-form provenance, ignored by training.'),
  })
  .superRefine((row, ctx) => {
    const given = [row.weight, row.turn_weights, row.token_weights].filter((w) => w !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['weight'], message: 'give exactly one of weight, turn_weights, token_weights' });
    if (row.turn_weights && row.turn_weights.length !== row.messages.length)
      ctx.addIssue({ code: 'custom', path: ['turn_weights'], message: `has ${row.turn_weights.length} entries for ${row.messages.length} messages` });
    if (!row.messages.some((m) => m.role === 'assistant')) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'no assistant message to train on' });
  })
  .describe('One policy-gradient example: a conversation and the weights of its assistant replies.');
export type PgRow = z.infer<typeof PgRowSchema>;
