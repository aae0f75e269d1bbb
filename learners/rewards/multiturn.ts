import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import type { Branch } from '../../core/replay.js';
import { defineReward, type PlayerState, type RewardContext } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { clampUnit, firstJsonObject, futureText, transcriptText, unitScore, whitespaceTokens } from './judge-text.js';

/** The framework's metrics of a future; a game adds its own (`GameRewardHooks.futureMetrics`). */
const BUILT_IN_WEIGHTS: Readonly<Record<string, number>> = { success: 1, interactivity: 1, tokens: -0.0001 };

export const MultiturnOptionsSchema = z.strictObject({
  samples: z.number().int().min(1).max(64).default(3).describe('S: futures sampled per candidate (CollabLLM: 3).'),
  window: z
    .union([z.number().int().min(0), z.literal('end')])
    .default(4)
    .describe('Live turns after the candidate (any player\'s; CollabLLM\'s max_new_turns counts messages the same way: 4), or "end".'),
  weights: z
    .record(z.string(), z.number())
    .default({})
    .describe('Weight per metric, over the defaults: success 1, interactivity 1, tokens −0.0001 per token, and the game\'s own (20q: information_gain).'),
  judge_max_tokens: z.number().int().min(16).default(300).describe('Token budget of the interactivity judge\'s reply.'),
});
export type MultiturnOptions = z.infer<typeof MultiturnOptionsSchema>;

interface FutureScore {
  total: number;
  details: Record<string, JsonValue>;
}

/** The interactivity judge on one future: a score in [0, 1], or null with the judge's unreadable reply. */
async function judgeInteractivity(state: PlayerState, futureText: string, ctx: RewardContext, maxTokens: number): Promise<{ score: number | null; thought: string | null; raw: string }> {
  const judge = ctx.models.judge as NonNullable<typeof ctx.models.judge>;
  const prompt = ctx.render('judge-interactivity', {
    task: ctx.game.task?.(state) ?? 'a dialogue game between players',
    role: state.role,
    history: transcriptText(state.messages, state.role),
    future: futureText,
  });
  const result = await judge.generate({ messages: [{ role: 'user', content: prompt }], args: { temperature: 0, maxTokens } }, ctx.signal);
  const raw = result.choices[0]?.text ?? '';
  const parsed = firstJsonObject(raw) as { interactivity?: unknown; thought?: unknown } | null;
  return { score: unitScore(parsed?.interactivity), thought: typeof parsed?.thought === 'string' ? parsed.thought : null, raw };
}

/** Scores one sampled future: each metric times its weight, each term clamped to [−1, 1], summed. */
async function scoreFuture(state: PlayerState, future: Branch, weights: Record<string, number>, ctx: RewardContext, opts: MultiturnOptions): Promise<FutureScore> {
  const own = future.conversations.find((c) => c.player === state.player);
  const after = (own?.messages ?? []).slice(state.messages.length);
  const metrics: Record<string, number | null> = {
    success: future.outcome === 'success' ? 1 : 0,
    tokens: whitespaceTokens(after.map((m) => m.content)),
    ...(ctx.game.measureFuture?.(state, future) ?? {}),
  };
  const details: Record<string, JsonValue> = { outcome: future.outcome, turns: future.turns.slice(future.from).filter((t) => t.reply !== null).length };
  if ((weights.interactivity ?? 0) !== 0) {
    const judged = await judgeInteractivity(state, futureText(future), ctx, opts.judge_max_tokens);
    metrics.interactivity = judged.score;
    if (judged.thought !== null) details.judge_thought = judged.thought;
    if (judged.score === null) details.judge_unreadable = judged.raw;
  }
  const terms: Record<string, number> = {};
  for (const [name, weight] of Object.entries(weights)) {
    const value = metrics[name];
    terms[name] = value === null || value === undefined || weight === 0 ? 0 : clampUnit(weight * value);
  }
  const total = Object.values(terms).reduce((a, b) => a + b, 0);
  return { total, details: { ...details, metrics, terms, total } };
}

/**
 * CollabLLM's multiturn-aware reward (MR): after each candidate, S futures of `window` live turns are sampled
 * with the policy in the state's seat and the episode's players in the others (core/replay.ts); each future
 * scores Σ clamp(w·metric, −1, 1) over task success (1 when the future wins), the judge's interactivity in
 * [0, 1], tokens (whitespace tokens of the player's side of the future, candidate included) and the game's
 * own metrics; a candidate's score is the mean over its futures (details: each future, and the std).
 */
export const multiturnReward = defineReward<MultiturnOptions>({
  name: 'mr',
  description: "CollabLLM's multiturn-aware reward: mean over S sampled futures of clamped, weighted conversation metrics (success, interactivity judge, tokens, the game's own).",
  options: MultiturnOptionsSchema,
  create: (opts) => ({
    name: 'mr',
    description: `MR with S = ${opts.samples}, window ${opts.window}`,
    needs: (opts.weights.interactivity ?? BUILT_IN_WEIGHTS.interactivity) !== 0 ? ['policy', 'judge'] : ['policy'],
    async score(state, candidates, ctx) {
      const gameMetrics = ctx.game.futureMetrics ?? {};
      const known = [...Object.keys(BUILT_IN_WEIGHTS), ...Object.keys(gameMetrics)];
      const unknown = Object.keys(opts.weights).filter((k) => !known.includes(k));
      if (unknown.length > 0) throw new ConfigError(`mr: unknown metric ${unknown.map((k) => `'${k}'`).join(', ')} in weights (this game has: ${known.join(', ')})`);
      const weights: Record<string, number> = { ...BUILT_IN_WEIGHTS, ...Object.fromEntries(Object.entries(gameMetrics).map(([k, m]) => [k, m.defaultWeight])), ...opts.weights };
      // seeds drawn up front, in order, so the futures do not depend on which call finishes first
      const seeds = candidates.map(() => Array.from({ length: opts.samples }, () => ctx.rng.int(2 ** 31)));
      const window = opts.window === 'end' ? undefined : opts.window;
      const perCandidate = await Promise.all(
        candidates.map((candidate, c) =>
          Promise.all(
            (seeds[c] as number[]).map(async (seed) => {
              const future = await ctx.branch(state, candidate, { ...(window !== undefined ? { window } : {}), seed });
              return scoreFuture(state, future, weights, ctx, opts);
            }),
          ),
        ),
      );
      const scores = perCandidate.map((fs) => fs.reduce((a, f) => a + f.total, 0) / fs.length);
      const details = perCandidate.map((fs, c): JsonValue => {
        const mean = scores[c] as number;
        const std = Math.sqrt(fs.reduce((a, f) => a + (f.total - mean) ** 2, 0) / fs.length);
        return { mr: mean, std, weights, futures: fs.map((f) => f.details) };
      });
      return { scores, details };
    },
  }),
});
