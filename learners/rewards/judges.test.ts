import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, GenerateRequest, ScoreRequest, TokenLogprob } from '../../backends/backend.js';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import type { PlayerState } from '../../core/rewards.js';
import { loadPackagedGame, programBackend } from '../../test/helpers/live-episode.js';
import { byPrompt, contextsFor, recordedEpisode } from '../../test/helpers/reward-fixtures.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { startOpenAIServer, type ReplyContext } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import { labelLogprobs, meanWinProbabilities, verdictProbability } from './refeval.js';
import { resolveReward } from './registry.js';
import { playerStates } from './states.js';

let twentyQ: LoadedGame;
let programs: Map<string, Program>;
let state: PlayerState;
beforeAll(async () => {
  ({ loaded: twentyQ, programs } = await loadPackagedGame('20q'));
  const episode = await recordedEpisode(twentyQ, [programBackend('kb-greedy', programs), programBackend('kb-oracle', programs)], { experiment: 'all_words', gameId: 10 }); // Cat
  state = playerStates(episode, { role: 'Questioner' })[1] as PlayerState;
});
const dirs = tempDirs();
afterEach(() => dirs.cleanup());
const ctx = (models: Parameters<typeof contextsFor>[3]) => contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], models, dirs.make())(state);

describe('RefEval: P(win) from the verdict log-probabilities', () => {
  it('P(a) = exp(la) / (exp(la) + exp(lb)); a missing label loses; neither known: 0.5', () => {
    expect(verdictProbability(-0.1, -2.4)).toBeCloseTo(1 / (1 + Math.exp(-2.3)), 12);
    expect(verdictProbability(-0.1, -2.4)).toBeCloseTo(0.908877, 6);
    expect(verdictProbability(Math.log(0.3), Math.log(0.1))).toBeCloseTo(0.75, 12);
    expect(verdictProbability(-5, null)).toBe(1);
    expect(verdictProbability(null, -5)).toBe(0);
    expect(verdictProbability(null, null)).toBe(0.5);
  });

  it('reads the label token and its rival from the top alternatives', () => {
    const tokens: TokenLogprob[] = [
      { token: 'Output', logprob: -0.01, top: [{ token: 'Output', logprob: -0.01 }] },
      { token: ' (', logprob: -0.02 },
      { token: 'b', logprob: -0.3, top: [{ token: 'b', logprob: -0.3 }, { token: 'a', logprob: -1.5 }, { token: 'c', logprob: -6 }] },
      { token: ')', logprob: 0 },
    ];
    expect(labelLogprobs(tokens)).toEqual({ a: -1.5, b: -0.3, position: 2 });
    expect(labelLogprobs([{ token: ' (a)', logprob: -0.2 }])).toEqual({ a: -0.2, b: null, position: 0 });
    expect(labelLogprobs([{ token: 'Output', logprob: -0.2 }])).toBeNull();
  });

  it('a candidate\'s score is its mean P(win) over both orders of every pair', () => {
    // pA[i][j]: P(a) with i shown as (a), j as (b)
    const pA = [
      [null, 0.9, 0.6],
      [0.2, null, 0.5],
      [0.3, 0.7, null],
    ];
    const [s0, s1, s2] = meanWinProbabilities(pA);
    expect(s0).toBeCloseTo((0.9 + 0.6 + (1 - 0.2) + (1 - 0.3)) / 4, 12);
    expect(s1).toBeCloseTo((0.2 + 0.5 + (1 - 0.9) + (1 - 0.7)) / 4, 12);
    expect(s2).toBeCloseTo((0.3 + 0.7 + (1 - 0.6) + (1 - 0.5)) / 4, 12);
    expect(s0! + s1! + s2!).toBeCloseTo(1.5, 12); // each pair hands out one win in each order
  });

  /** A judge that prefers the output naming "cat", answering with verdict log-probabilities like an OpenAI server. */
  function logprobJudge(): Backend & { prompts: string[] } {
    const prompts: string[] = [];
    const judge = byPrompt('judge', () => 'Output (a)');
    return {
      ...judge,
      prompts,
      capabilities: { ...judge.capabilities, logprobs: true },
      async generate(request: GenerateRequest) {
        const p = request.messages.at(-1)?.content ?? '';
        prompts.push(p);
        const a = p.slice(p.indexOf('Output (a):'), p.indexOf('Output (b):'));
        const b = p.slice(p.indexOf('Output (b):'), p.indexOf('Judge which'));
        const [la, lb] = a.includes('cat') ? [-0.1, -2.4] : b.includes('cat') ? [-2.4, -0.1] : [Math.log(0.5), Math.log(0.5)];
        const result = await judge.generate(request);
        const label = la >= lb ? 'a' : 'b';
        return { ...result, choices: [{ text: `Output (${label})`, finish: 'stop' as const, logprobs: [{ token: 'Output', logprob: 0 }, { token: ' (', logprob: 0 }, { token: label, logprob: Math.max(la, lb), top: [{ token: 'a', logprob: la }, { token: 'b', logprob: lb }] }, { token: ')', logprob: 0 }] }] };
      },
    };
  }

  it('judges every ordered pair with the reference, from generated-token log-probabilities', async () => {
    const judge = logprobJudge();
    const refeval = resolveReward('refeval', twentyQ.module.rewards);
    const { scores, details } = await refeval.score(state, ['Is it a cat?', 'Is it a dog?', 'Is it blue?'], ctx({ judge }));
    const p = 1 / (1 + Math.exp(-2.3)); // the "cat" output wins with p in either position
    expect(scores[0]).toBeCloseTo(p, 12);
    expect(scores[1]).toBeCloseTo(((1 - p) + 0.5) / 2, 12);
    expect(scores[2]).toBeCloseTo(((1 - p) + 0.5) / 2, 12);
    expect(judge.prompts).toHaveLength(6);
    expect(judge.prompts[0]).toContain('The hidden word is "Cat"');
    expect(judge.prompts[0]).toContain('Output (a):\nIs it a cat?\n\nOutput (b):\nIs it a dog?');
    expect(details[0]).toMatchObject({ as_a: [{ against: 1, via: 'logprobs' }, { against: 2, via: 'logprobs' }] });
  });

  it('with a judge that can score(), the two verdicts are scored directly', async () => {
    const scored: ScoreRequest[] = [];
    const judge: Backend = {
      ...byPrompt('judge', () => 'unused'),
      capabilities: { score: true, logprobs: false, n: false, seed: false, batching: false },
      async score(request: ScoreRequest) {
        scored.push(request);
        const p = request.messages.at(-1)?.content ?? '';
        const catIsA = p.indexOf('Is it a cat?') < p.indexOf('Output (b):');
        const lp = request.continuation === 'Output (a)' ? (catIsA ? Math.log(0.6) : Math.log(0.2)) : catIsA ? Math.log(0.2) : Math.log(0.6);
        return { tokenLogprobs: [lp], tokens: [request.continuation], logprob: lp };
      },
    };
    const { scores } = await resolveReward('refeval', twentyQ.module.rewards).score(state, ['Is it a cat?', 'Is it a dog?'], ctx({ judge }));
    expect(scores[0]).toBeCloseTo(0.75, 12);
    expect(scores[1]).toBeCloseTo(0.25, 12);
    expect(scored.map((s) => s.continuation)).toEqual(['Output (a)', 'Output (b)', 'Output (a)', 'Output (b)']);
  });

  it('one candidate has no rival: null, saying why', async () => {
    const r = await resolveReward('refeval', twentyQ.module.rewards).score(state, ['Is it a cat?'], ctx({ judge: logprobJudge() }));
    expect(r).toEqual({ scores: [null], details: [{ reason: 'RefEval compares candidates: it needs at least two' }] });
  });
});

describe('judges behind the openai backend, against a loopback OpenAI-compatible server', () => {
  /** The server's judge prefers the output asking "Is it a cat?", with verdict log-probabilities as OpenAI sends them. */
  function judgeReply(ctx: ReplyContext) {
    const p = String(ctx.messages.at(-1)?.content ?? '');
    const catIsA = p.indexOf('Is it a cat?') < p.indexOf('Output (b):');
    const [la, lb] = catIsA ? [-0.05, -3.1] : [-3.1, -0.05];
    const label = la > lb ? 'a' : 'b';
    return {
      text: `Output (${label})`,
      tokens: [
        { token: 'Output', logprob: -0.01, top: [{ token: 'Output', logprob: -0.01 }] },
        { token: ' (', logprob: -0.01 },
        { token: label, logprob: Math.max(la, lb), top: [{ token: label, logprob: Math.max(la, lb) }, { token: label === 'a' ? 'b' : 'a', logprob: Math.min(la, lb) }, { token: 'c', logprob: -9 }] },
        { token: ')', logprob: 0 },
      ],
    };
  }

  it('RefEval reads P(a) from the top log-probabilities the server returns, asking greedy verdicts with top 5', async () => {
    const server = await startOpenAIServer({ reply: judgeReply });
    try {
      const judge = fakeModelBackend(server.baseURL);
      const { scores } = await resolveReward('refeval', twentyQ.module.rewards).score(state, ['Is it a dog?', 'Is it a cat?'], ctx({ judge }));
      const p = 1 / (1 + Math.exp(-3.05));
      expect(scores[0]).toBeCloseTo(1 - p, 12);
      expect(scores[1]).toBeCloseTo(p, 12);
      expect(server.requests.map((r) => [r.body?.temperature, r.body?.logprobs, r.body?.top_logprobs])).toEqual([[0, true, 5], [0, true, 5]]);
    } finally {
      await server.close();
    }
  });

  it('MR\'s interactivity judge answers in JSON over HTTP', async () => {
    const server = await startOpenAIServer({ reply: () => 'Here is my verdict: {"thought": "asks well", "interactivity": 0.75}' });
    try {
      const judge = fakeModelBackend(server.baseURL);
      const policy = byPrompt('policy', () => 'Is it a dog?');
      const mr = resolveReward('mr', twentyQ.module.rewards, { samples: 1, window: 'end', weights: { information_gain: 0 } });
      const { scores } = await mr.score(state, ['Is it a cat?'], ctx({ judge, policy }));
      expect(scores[0]).toBeCloseTo(1 + 0.75 - 0.0004, 12); // won at once: success 1, interactivity 0.75, 4 tokens
      expect(String((server.requests[0]?.body?.messages as { content: string }[])[0]?.content)).toContain('[Questioner] Is it a cat?\n\n[Answerer] Yes.\n\n[Game] The game ended: won.');
    } finally {
      await server.close();
    }
  });
});

describe('judge: the 20q-RLHF rubric judge', () => {
  it('the mean of the three dimensions, judged on the candidate and the answer to it, with the hidden word as reference', async () => {
    const judge = byPrompt('judge', (p) =>
      p.includes('[Questioner] Is it a cat?\n\n[Answerer] Yes.\n\n[Game] The game ended: won.')
        ? '```json\n{"interactivity": {"thought": "t", "score": 1}, "accuracy": {"thought": "t", "score": 1}, "information_gain": {"thought": "t", "score": 0.7}}\n```'
        : '{"interactivity": {"score": 0.5}, "accuracy": {"score": 0}, "information_gain": {"score": 0.4}}',
    );
    const r = await resolveReward('judge', twentyQ.module.rewards).score(state, ['Is it a cat?', 'Is it blue?'], ctx({ judge }));
    expect(r.scores[0]).toBeCloseTo(2.7 / 3, 12);
    expect(r.scores[1]).toBeCloseTo(0.9 / 3, 12);
    expect(judge.requests[0]?.messages[0]?.content).toContain('What the player does not know: The hidden word is "Cat"');
    const one = await resolveReward('judge', twentyQ.module.rewards, { dimensions: ['accuracy'] }).score(state, ['Is it blue?'], ctx({ judge }));
    expect(one.scores).toEqual([0]);
  });

  it('an unreadable verdict scores null and keeps the reply', async () => {
    const r = await resolveReward('judge', twentyQ.module.rewards).score(state, ['Is it blue?'], ctx({ judge: byPrompt('judge', () => 'I think it is fine.') }));
    expect(r.scores).toEqual([null]);
    expect(r.details[0]).toMatchObject({ unreadable: 'I think it is fine.' });
  });
});
