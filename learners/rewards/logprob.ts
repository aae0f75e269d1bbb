import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { defineReward } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';

export const LogprobOptionsSchema = z.strictObject({
  lambda: z.number().positive().default(3).describe('λ in λ·exp(mean log p(target)) (the log-prob reward project: 3).'),
});
export type LogprobOptions = z.infer<typeof LogprobOptionsSchema>;

/** λ·exp(mean of the token log-probabilities): λ times the geometric-mean probability of the target tokens. */
export function logprobReward(tokenLogprobs: readonly number[], lambda: number): number | null {
  if (tokenLogprobs.length === 0) return null;
  const mean = tokenLogprobs.reduce((a, b) => a + b, 0) / tokenLogprobs.length;
  return lambda * Math.exp(mean);
}

/**
 * The log-prob reward: each candidate is played, the game goes on until the state's player is asked again
 * (the other players answer, core/replay.ts), and the scoring model's `score()` gives the log-probability of
 * the game's target after that conversation (20q: the question naming the hidden word); the score is
 * λ·exp(mean log p(target tokens | transcript)). A future that already settles it (a win) scores λ·1 or λ·0.
 */
export const logprobRewardDefinition = defineReward<LogprobOptions>({
  name: 'logprob',
  description: 'λ·exp(mean log p(target tokens | conversation after the candidate)) under a scoring model; the game names the target (20q: the hidden word).',
  options: LogprobOptionsSchema,
  needsHooks: ['logprobTarget'],
  create: (opts) => ({
    name: 'logprob',
    description: `log-prob reward, λ = ${opts.lambda}`,
    needs: ['scorer'],
    async score(state, candidates, ctx) {
      const scorer = ctx.models.scorer;
      if (!scorer?.score) throw new ConfigError(`logprob: the scoring model ${scorer ? `'${scorer.name}' cannot score continuations (its backend has no score())` : 'is missing (pass --scorer MODEL)'}`);
      const hook = ctx.game.logprobTarget;
      if (!hook) throw new ConfigError(`logprob: game '${state.episode.gameName}' gives no log-prob target (GameRewards.logprobTarget)`);
      const seeds = candidates.map(() => ctx.rng.int(2 ** 31));
      const results = await Promise.all(
        candidates.map(async (candidate, i): Promise<{ score: number | null; details: JsonValue }> => {
          const after = await ctx.branch(state, candidate, { untilOwnTurn: true, seed: seeds[i] as number });
          const target = hook(state, after);
          if (target === null) return { score: null, details: { reason: 'the game gives no target at this state' } };
          if (target.kind === 'certain') return { score: opts.lambda * target.probability, details: { certain: target.probability, reason: target.reason } };
          const scored = await (scorer.score as NonNullable<typeof scorer.score>)({ messages: target.messages, continuation: target.continuation, endOfTurn: false }, ctx.signal);
          const score = logprobReward(scored.tokenLogprobs, opts.lambda);
          const mean = scored.tokenLogprobs.length === 0 ? null : scored.logprob / scored.tokenLogprobs.length;
          return { score, details: { target: target.continuation, tokens: scored.tokens.length, logprob: scored.logprob, mean_logprob: mean, context: target.messages.at(-1)?.content ?? null } };
        }),
      );
      return { scores: results.map((r) => r.score), details: results.map((r) => r.details) };
    },
  }),
});
