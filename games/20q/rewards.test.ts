import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import { branchEpisode } from '../../core/replay.js';
import type { PlayerState } from '../../core/rewards.js';
import { playerStates } from '../../learners/rewards/states.js';
import { resolveReward } from '../../learners/rewards/registry.js';
import { loadPackagedGame, programBackend, type AnyGame } from '../../test/helpers/live-episode.js';
import { byPrompt, contextsFor, recordedEpisode } from '../../test/helpers/reward-fixtures.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { MAPPER } from './question-mapper.js';
import { uotSplitReward } from './rewards.js';
import { QuestionEventSchema } from './scorer.js';

let twentyQ: LoadedGame;
let programs: Map<string, Program>;
beforeAll(async () => {
  ({ loaded: twentyQ, programs } = await loadPackagedGame('20q'));
});
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** H_b(y/n) written out, independent of the game's info-gain.ts. */
const hb = (y: number, n: number) => (y === 0 || y === n ? 0 : -(y / n) * Math.log2(y / n) - (1 - y / n) * Math.log2(1 - y / n));
const UNMAPPED = 'Does its name start with the letter C?';

async function questionerStates(questioner: string, gameId: number): Promise<PlayerState[]> {
  const episode = await recordedEpisode(twentyQ, [programBackend(questioner, programs), programBackend('kb-oracle', programs)], { experiment: 'all_words', gameId });
  return playerStates(episode, { role: 'Questioner' });
}

describe('entropy arithmetic', () => {
  it('UoT\'s sharpened split reward on hand-computed cases', () => {
    expect(uotSplitReward(79, 158)).toBe(1); // even split: H_b = 1, no sharpening
    expect(uotSplitReward(1, 4)).toBeCloseTo(0.811278 / (1 + 0.5 / 0.4), 6); // x = 0.25: H_b = 0.811278, |2x − 1| = 0.5
    expect(uotSplitReward(2, 3)).toBe(1); // the two sides differ by one word
    expect(uotSplitReward(0, 10)).toBe(0);
    expect(uotSplitReward(10, 10)).toBe(0);
    expect(uotSplitReward(1, 4, 0.1)).toBeCloseTo(0.811278 / 6, 6);
  });

  it('eig: H_b(|yes|/|K|) and log2|K_t| − log2|K_t+1| over the words consistent so far, equal to the game\'s own counts', async () => {
    const states = await questionerStates('kb-greedy', 10); // Cat
    const ctxOf = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], {}, dirs.make());
    const expected = resolveReward('eig', twentyQ.module.rewards);
    const realised = resolveReward('eig', twentyQ.module.rewards, { score: 'realised' });
    const uot = resolveReward('uot', twentyQ.module.rewards);
    for (const state of states) {
      const reply = state.recordedReply as string;
      const e = await expected.score(state, [reply], ctxOf(state));
      const r = await realised.score(state, [reply], ctxOf(state));
      const u = await uot.score(state, [reply], ctxOf(state));
      // the game logged |K_t| and |yes| when the question was asked (its own candidate tracking)
      const event = QuestionEventSchema.parse(state.episode.interactions.turns[state.round]?.find((ev) => ev.action.type === 'question')?.action.content);
      const d = e.details[0] as { consistent: number; yes: number; after: number; source: string };
      expect([d.consistent, d.yes, d.source]).toEqual([event.candidates, event.yes, 'kb']);
      expect(e.scores[0]).toBeCloseTo(hb(d.yes, d.consistent), 12);
      expect(r.scores[0]).toBeCloseTo(Math.log2(d.consistent) - Math.log2(d.after), 12);
      expect(u.scores[0]).toBeCloseTo(uotSplitReward(d.yes, d.consistent), 12);
    }
    // the first question over all 158 words, written out
    const first = (await expected.score(states[0]!, ['Is it alive?'], ctxOf(states[0]!))).details[0] as { consistent: number; yes: number };
    expect(first.consistent).toBe(158);
    expect((await expected.score(states[0]!, ['Is it alive?'], ctxOf(states[0]!))).scores[0]).toBeCloseTo(-(first.yes / 158) * Math.log2(first.yes / 158) - (1 - first.yes / 158) * Math.log2(1 - first.yes / 158), 12);
  });

  it('several candidates at one state: a question already answered gains 0, a guess of one word H_b(1/|K|)', async () => {
    const [, second] = await questionerStates('kb-greedy', 10);
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], {}, dirs.make())(second!);
    const asked = second!.messages[1]!.content; // the first question: its answer is known, it splits nothing now
    const { scores, details } = await resolveReward('eig', twentyQ.module.rewards).score(second!, [asked, 'Is it a cat?'], ctx);
    const k = (details[0] as { consistent: number }).consistent;
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(hb(1, k), 12);
    expect((details[1] as { realised_gain: number }).realised_gain).toBeCloseTo(Math.log2(k), 12); // yes for Cat: one word left
  });
});

describe('eig with an LLM labeler where the knowledge base cannot map a question', () => {
  it('labels every consistent word with the labeler, and a second run makes no call (disk cache keyed on model and question)', async () => {
    expect(MAPPER.map(UNMAPPED).kind).toBe('unmapped');
    const [state] = await questionerStates('kb-greedy', 10);
    const cacheDir = dirs.make();
    // the labeler says yes for words starting with C (it reads the word from the Answerer prompt)
    const labeler = () => byPrompt('labeler-llm', (p) => (/hidden word is "C/.test(p) ? 'Yes.' : 'No.'));
    const first = labeler();
    const run = (l: ReturnType<typeof labeler>) => resolveReward('eig', twentyQ.module.rewards).score(state!, [UNMAPPED], contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { labeler: l }, cacheDir)(state!));
    const a = await run(first);
    const d = a.details[0] as { consistent: number; yes: number; answer: string; source: string };
    expect(first.requests).toHaveLength(158);
    expect(first.requests[0]?.messages[0]?.content).toContain('Question: Does its name start with the letter C?');
    const cWords = (await import('./words.js')).WORDS.filter((w) => w.word.startsWith('C')).length;
    expect([d.consistent, d.yes, d.answer, d.source]).toEqual([158, cWords, 'yes', 'labeler']);
    expect(a.scores[0]).toBeCloseTo(hb(cWords, 158), 12);
    const second = labeler();
    const b = await run(second);
    expect(second.requests).toHaveLength(0);
    expect(b).toEqual(a);
  });

  it('without a labeler an unmapped question scores null, saying why', async () => {
    const [state] = await questionerStates('kb-greedy', 10);
    const r = await resolveReward('eig', twentyQ.module.rewards).score(state!, [UNMAPPED], contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], {}, dirs.make())(state!));
    expect(r.scores).toEqual([null]);
    expect(r.details[0]).toMatchObject({ yes: null, source: null, reason: 'the knowledge base cannot map the question and no labeler model was given (--labeler MODEL)' });
  });
});

describe('20q hooks for the generic rewards', () => {
  it('reference names the hidden word; the log-prob target is naming it once the game asks the Questioner again', async () => {
    const states = await questionerStates('kb-greedy', 10);
    const hooks = twentyQ.module.rewards!;
    expect(hooks.reference?.(states[1]!)).toMatch(/^The hidden word is "Cat", category Animals\. A knowledge-base player/);
    const game = { game: twentyQ.module.game as AnyGame, templates: twentyQ.templates };
    const oracle = programBackend('kb-oracle', programs);
    const after = await branchEpisode(states[1]!.episode, game, { at: { turn: states[1]!.turn }, candidate: 'Is it a pet?', backends: [programBackend('kb-greedy', programs), oracle], stopBefore: 'Player 1' });
    const target = hooks.logprobTarget?.(states[1]!, after);
    expect(target).toMatchObject({ kind: 'score', continuation: 'Is it a cat?' });
    expect(target?.kind === 'score' && target.messages.at(-1)).toEqual({ role: 'user', content: 'Yes.\n\nAsk question 3 of 20.\n' });
    const won = await branchEpisode(states[1]!.episode, game, { at: { turn: states[1]!.turn }, candidate: 'Is it a cat?', backends: [programBackend('kb-greedy', programs), oracle], stopBefore: 'Player 1' });
    expect(hooks.logprobTarget?.(states[1]!, won)).toMatchObject({ kind: 'certain', probability: 1 });
    // information gain of a future: the bits its answered, KB-mapped questions removed
    expect(hooks.measureFuture?.(states[1]!, won)).toEqual({ information_gain: Math.log2((QuestionEventSchema.parse(won.interactions.turns[1]?.find((e) => e.action.type === 'question')?.action.content)).candidates) });
  });
});
