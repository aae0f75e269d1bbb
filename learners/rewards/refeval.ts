import { z } from 'zod';
import type { Backend, ChatMessage, TokenLogprob } from '../../backends/backend.js';
import { defineReward, type RewardContext } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { transcriptText } from './judge-text.js';

/**
 * P(a) from the judge's log-probabilities of the two verdict labels (RefEval's `scoring.py`):
 * exp(la) / (exp(la) + exp(lb)); a label missing from the judge's alternatives has probability 0 against the
 * other (only `a` known: 1; only `b`: 0); neither known: 0.5.
 */
export function verdictProbability(la: number | null, lb: number | null): number {
  if (la === null && lb === null) return 0.5;
  if (lb === null) return 1;
  if (la === null) return 0;
  return 1 / (1 + Math.exp(lb - la));
}

const labelOf = (token: string): 'a' | 'b' | null => {
  const t = token.trim().replace(/^[("'*[\s]+|[)"'*\].:\s]+$/g, '').toLowerCase();
  return t === 'a' || t === 'b' ? t : null;
};

/**
 * The verdict labels' log-probabilities at the first generated token that is a label ("a", "(a", " b)", …):
 * the chosen token's and, from its top alternatives, the other label's (null when absent). Null when no
 * generated token is a label.
 */
export function labelLogprobs(tokens: readonly TokenLogprob[]): { a: number | null; b: number | null; position: number } | null {
  for (const [position, t] of tokens.entries()) {
    const label = labelOf(t.token);
    if (label === null) continue;
    const found: { a: number | null; b: number | null } = { a: null, b: null };
    for (const alt of [{ token: t.token, logprob: t.logprob }, ...(t.top ?? [])]) {
      const l = labelOf(alt.token);
      if (l !== null && (found[l] === null || alt.logprob > (found[l] as number))) found[l] = alt.logprob;
    }
    return { ...found, position };
  }
  return null;
}

/**
 * Each candidate's mean win probability over every ordered pair it takes part in: `pA[i][j]` is P(a) when
 * candidate i is shown as Output (a) and j as Output (b); i wins that comparison with P(a) and the reversed
 * one with 1 − P(a) of (j, i). With n candidates each score averages 2(n − 1) probabilities.
 */
export function meanWinProbabilities(pA: readonly (readonly (number | null)[])[]): number[] {
  const n = pA.length;
  return pA.map((_, i) => {
    let sum = 0;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sum += pA[i]?.[j] as number;
      sum += 1 - (pA[j]?.[i] as number);
      count += 2;
    }
    return count === 0 ? Number.NaN : sum / count;
  });
}

export const RefevalOptionsSchema = z.strictObject({
  mode: z
    .enum(['auto', 'score', 'logprobs'])
    .default('auto')
    .describe('score: the judge backend\'s score() of each verdict; logprobs: top log-probabilities of the generated verdict token; auto: score when the judge can.'),
  top_logprobs: z.number().int().min(2).max(20).default(5).describe('Alternatives per generated token (RefEval: 5).'),
});
export type RefevalOptions = z.infer<typeof RefevalOptionsSchema>;

/** One judged order: P(a) and how it was read. */
async function judgeOrder(judge: Backend, prompt: string, opts: RefevalOptions, ctx: RewardContext): Promise<{ pA: number; via: string }> {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  if (opts.mode === 'score' || (opts.mode === 'auto' && judge.capabilities.score && judge.score)) {
    const score = judge.score as NonNullable<Backend['score']>;
    const [a, b] = await Promise.all(['Output (a)', 'Output (b)'].map((continuation) => score({ messages, continuation, endOfTurn: false }, ctx.signal)));
    return { pA: verdictProbability((a as { logprob: number }).logprob, (b as { logprob: number }).logprob), via: 'score' };
  }
  const result = await judge.generate({ messages, args: { temperature: 0, maxTokens: 16, logprobs: true, topLogprobs: opts.top_logprobs } }, ctx.signal);
  const choice = result.choices[0];
  const found = choice?.logprobs ? labelLogprobs(choice.logprobs) : null;
  if (found) return { pA: verdictProbability(found.a, found.b), via: 'logprobs' };
  // no log-probabilities came back: the text verdict, as a hard 1/0 (0.5 when unreadable)
  const text = choice?.text ?? '';
  const m = /\(\s*([ab])\s*\)/i.exec(text) ?? /\b([ab])\b/i.exec(text);
  return { pA: m ? ((m[1] as string).toLowerCase() === 'a' ? 1 : 0) : 0.5, via: m ? 'text' : `unreadable: ${text}` };
}

/**
 * RefEval's reference-guided pairwise judge: for every ordered pair of candidates the judge decides which
 * output is better given the game's reference (prompts/judge-refeval.hbs); P(win) comes from the judge's
 * log-probabilities of the two verdict labels, both orders are judged (position bias cancels), and a
 * candidate's score is its mean P(win) against the others. Needs at least two candidates.
 */
export const refevalReward = defineReward<RefevalOptions>({
  name: 'refeval',
  description: "RefEval's reference-guided pairwise judge: a candidate's mean P(win) over both orders of every pair, from the judge's verdict log-probabilities.",
  options: RefevalOptionsSchema,
  create: (opts) => ({
    name: 'refeval',
    description: `RefEval pairwise judge (${opts.mode})`,
    needs: ['judge'],
    async score(state, candidates, ctx) {
      const n = candidates.length;
      if (n < 2) return { scores: candidates.map(() => null), details: candidates.map(() => ({ reason: 'RefEval compares candidates: it needs at least two' })) };
      const judge = ctx.models.judge as Backend;
      const vars = {
        task: ctx.game.task?.(state) ?? 'a dialogue game between players',
        reference: ctx.game.reference?.(state) ?? '(none)',
        role: state.role,
        history: transcriptText(state.messages, state.role),
      };
      const pairs = candidates.flatMap((_, i) => candidates.map((__, j) => [i, j] as const)).filter(([i, j]) => i !== j);
      const judged = await Promise.all(pairs.map(([i, j]) => judgeOrder(judge, ctx.render('judge-refeval', { ...vars, output_a: candidates[i], output_b: candidates[j] }), opts, ctx)));
      const pA: (number | null)[][] = candidates.map(() => candidates.map(() => null));
      pairs.forEach(([i, j], k) => ((pA[i] as (number | null)[])[j] = (judged[k] as { pA: number }).pA));
      const scores = meanWinProbabilities(pA);
      const details = candidates.map((_, i): JsonValue => ({
        p_win: scores[i] as number,
        as_a: pairs.flatMap(([x, y], k) => (x === i ? [{ against: y, p_a: (judged[k] as { pA: number }).pA, via: (judged[k] as { via: string }).via }] : [])),
      }));
      return { scores, details };
    },
  }),
});
