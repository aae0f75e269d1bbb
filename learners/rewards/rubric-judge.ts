import { z } from 'zod';
import { defineReward } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { firstJsonObject, futureText, transcriptText, unitScore } from './judge-text.js';

const DIMENSIONS = ['interactivity', 'accuracy', 'information_gain'] as const;

export const RubricOptionsSchema = z.strictObject({
  window: z.number().int().min(0).default(1).describe('Live turns after the candidate the judge sees (1: the other player\'s answer).'),
  dimensions: z.array(z.enum(DIMENSIONS)).min(1).default([...DIMENSIONS]).describe('Rubric dimensions averaged into the score.'),
  max_tokens: z.number().int().min(16).default(400).describe('Token budget of the judge\'s reply.'),
});
export type RubricOptions = z.infer<typeof RubricOptionsSchema>;

/**
 * The 20q-RLHF project's rubric judge: the judge sees the conversation so far, what the player does not know
 * (the game's reference: the hidden word) and the candidate with `window` turns after it, and scores
 * interactivity, accuracy and information gain in [0, 1] each (prompts/judge-rubric.hbs); the score is the mean
 * of the chosen dimensions, null when the verdict cannot be read.
 */
export const rubricJudgeReward = defineReward<RubricOptions>({
  name: 'judge',
  description: "The 20q-RLHF project's rubric judge: mean of interactivity, accuracy and information gain in [0, 1], judged with the game's reference.",
  options: RubricOptionsSchema,
  create: (opts) => ({
    name: 'judge',
    description: `rubric judge (${opts.dimensions.join(', ')}), window ${opts.window}`,
    needs: ['judge'],
    async score(state, candidates, ctx) {
      const judge = ctx.models.judge as NonNullable<typeof ctx.models.judge>;
      const seeds = candidates.map(() => ctx.rng.int(2 ** 31));
      const results = await Promise.all(
        candidates.map(async (candidate, i): Promise<{ score: number | null; details: JsonValue }> => {
          const future = await ctx.branch(state, candidate, { window: opts.window, seed: seeds[i] as number });
          const prompt = ctx.render('judge-rubric', {
            task: ctx.game.task?.(state) ?? 'a dialogue game between players',
            reference: ctx.game.reference?.(state) ?? '(none)',
            role: state.role,
            history: transcriptText(state.messages, state.role),
            followup: futureText(future),
          });
          const result = await judge.generate({ messages: [{ role: 'user', content: prompt }], args: { temperature: 0, maxTokens: opts.max_tokens } }, ctx.signal);
          const raw = result.choices[0]?.text ?? '';
          const verdict = firstJsonObject(raw) as Record<string, unknown> | null;
          const dims = Object.fromEntries(opts.dimensions.map((d) => [d, unitScore(verdict?.[d])]));
          const read = Object.values(dims).filter((v): v is number => v !== null);
          const score = read.length === opts.dimensions.length ? read.reduce((a, b) => a + b, 0) / read.length : null;
          return { score, details: score === null ? { dimensions: dims, unreadable: raw } : { dimensions: dims } };
        }),
      );
      return { scores: results.map((r) => r.score), details: results.map((r) => r.details) };
    },
  }),
});
