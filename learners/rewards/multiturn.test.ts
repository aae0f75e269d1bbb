import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import type { PlayerState } from '../../core/rewards.js';
import { loadPackagedGame, programBackend } from '../../test/helpers/live-episode.js';
import { byPrompt, contextsFor, recordedEpisode } from '../../test/helpers/reward-fixtures.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { resolveReward } from './registry.js';
import { playerStates } from './states.js';

let twentyQ: LoadedGame;
let programs: Map<string, Program>;
let first: PlayerState;
beforeAll(async () => {
  ({ loaded: twentyQ, programs } = await loadPackagedGame('20q'));
  const episode = await recordedEpisode(twentyQ, [programBackend('kb-greedy', programs), programBackend('kb-oracle', programs)], { experiment: 'all_words', gameId: 10 }); // Cat
  [first] = playerStates(episode, { role: 'Questioner' }) as [PlayerState];
});
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

interface Future {
  outcome: string | null;
  metrics: Record<string, number>;
  terms: Record<string, number>;
  total: number;
  judge_thought?: string;
}

describe('mr: CollabLLM\'s multiturn-aware reward with a scripted policy, the KB oracle answering and a scripted judge', () => {
  it('each future sums the clamped weighted metrics; the score is their mean over S futures', async () => {
    const policy = byPrompt('policy', () => 'Is it a dog?');
    // the judge rates a future that guesses the hidden word higher than one that asks around
    const judge = byPrompt('judge', (p) => (p.includes('[Questioner] Is it a cat?') ? '{"thought": "named it", "interactivity": 0.9}' : 'Sure: {"thought": "broad", "interactivity": 0.5}'));
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { policy, judge }, dirs.make())(first);
    const mr = resolveReward('mr', twentyQ.module.rewards, { samples: 2, window: 2 });
    expect(mr.needs).toEqual(['policy', 'judge']);
    const { scores, details } = await mr.score(first, ['Is it a cat?', 'Is it alive?'], ctx);

    const [win, ask] = details as unknown as { mr: number; std: number; weights: Record<string, number>; futures: Future[] }[];
    expect(win!.weights).toEqual({ success: 1, interactivity: 1, tokens: -0.0001, information_gain: 0.25 });
    // "Is it a cat?": the oracle says yes and the game is won at once; log2(158) = 7.30 bits · 0.25 is clamped to 1
    for (const f of win!.futures) {
      expect(f.outcome).toBe('success');
      expect(f.metrics).toEqual({ success: 1, tokens: 4, information_gain: Math.log2(158), interactivity: 0.9 });
      expect(f.terms).toEqual({ success: 1, interactivity: 0.9, tokens: -0.0004, information_gain: 1 });
    }
    expect(scores[0]).toBeCloseTo(1 + 0.9 - 0.0004 + 1, 12);
    // "Is it alive?": yes; the policy asks "Is it a dog?" (window 2: the answer, then one more question)
    for (const f of ask!.futures) {
      expect(f.outcome).toBeNull();
      expect(f.metrics.tokens).toBe(3 + 6 + 4); // Is it alive? / Yes. Ask question 2 of 20. / Is it a dog?
      expect(f.metrics.success).toBe(0);
      expect(f.metrics.information_gain).toBeGreaterThan(1); // only the answered question counts
      expect(f.total).toBeCloseTo(0.25 * f.metrics.information_gain! + 0.5 - 0.0013, 12);
    }
    expect(scores[1]).toBeCloseTo(ask!.futures[0]!.total, 12);
    expect(ask!.std).toBe(0);
    // two futures of "Is it alive?" asked the policy once each, with different generation seeds
    expect(policy.requests).toHaveLength(2);
    expect(new Set(policy.requests.map((r) => r.args.seed)).size).toBe(2);
    expect(policy.requests[0]?.messages.at(-1)?.content).toBe('Yes.\n\nAsk question 2 of 20.\n');
    expect(judge.requests).toHaveLength(4);
  });

  it('weights are configurable, zero-weight metrics cost no judge call, unknown ones are refused', async () => {
    const policy = byPrompt('policy', () => 'Is it a dog?');
    const judge = byPrompt('judge', () => '{"interactivity": 1}');
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { policy, judge }, dirs.make())(first);
    const mr = resolveReward('mr', twentyQ.module.rewards, { samples: 1, window: 'end', weights: { interactivity: 0, information_gain: 0, tokens: -0.5 } });
    expect(mr.needs).toEqual(['policy']);
    const r = await mr.score(first, ['Is it a cat?'], ctx);
    expect(r.scores[0]).toBeCloseTo(1 - 1, 12); // success 1, tokens 4 · −0.5 = −2 clamped to −1
    expect(judge.requests).toHaveLength(0);
    const bad = resolveReward('mr', twentyQ.module.rewards, { weights: { fun: 1 } });
    await expect(bad.score(first, ['Is it a cat?'], ctx)).rejects.toThrow("mr: unknown metric 'fun' in weights (this game has: success, interactivity, tokens, information_gain)");
  });

  it('a future that reaches the player again without a policy says what to pass', async () => {
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { judge: byPrompt('judge', () => '{"interactivity": 1}') }, dirs.make())(first);
    await expect(resolveReward('mr', twentyQ.module.rewards).score(first, ['Is it alive?'], ctx)).rejects.toThrow(
      '20q/all_words/10: this reward plays Player 1 (Questioner) in sampled futures, but no policy model was given (pass -m POLICY)',
    );
  });

  it('bad options are refused with their path', () => {
    expect(() => resolveReward('mr', twentyQ.module.rewards, { samples: 0 })).toThrow(/^reward 'mr': bad options: samples: /);
    expect(() => resolveReward('mrr', twentyQ.module.rewards)).toThrow("unknown reward 'mrr'. Did you mean: mr? This game has: eig, uot, mr, logprob, judge, refeval.");
  });
});
