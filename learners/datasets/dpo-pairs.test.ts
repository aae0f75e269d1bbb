import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgrammaticBackend } from '../../backends/programmatic/index.js';
import type { Backend } from '../../backends/backend.js';
import { createRng } from '../../base/rng.js';
import type { PlayerState, Reward, RewardContext } from '../../core/rewards.js';
import { run } from '../../core/runner.js';
import { KeyRing } from '../../registry/keys.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { playerStates } from '../rewards/index.js';
import { type DpoState, bestAndWorst, buildPairs } from './dpo-pairs.js';
import { readJournal } from './journal.js';
import { episodesForLearning } from './recorded.js';
import { rowMetadata } from './sft-data.js';

const tmp = tempDirs('clem-dpo-pairs-');
let dir: string;
let states: DpoState[];

/** A policy whose draws depend only on the request seed: "Is it thing N?" for N in 0..5. */
const policy: Backend = createProgrammaticBackend({ model_name: 'seeded', backend: 'programmatic' }, new Map([['seeded', {
  name: 'seeded',
  description: 'test policy',
  respond: (r) => `Is it thing ${createRng(r.args.seed ?? 0).int(6)}?`,
}]]));

/** Scores "thing N" as N / 10; "thing 5" cannot be scored. */
const reward: Reward = {
  name: 'digit',
  description: 'test reward',
  needs: [],
  score: async (_state: PlayerState, candidates: readonly string[]) => {
    const scores = candidates.map((c) => {
      const n = Number(/thing (\d)/.exec(c)?.[1]);
      return n === 5 ? null : n / 10;
    });
    return { scores, details: candidates.map(() => ({})) };
  },
};
const contextFor = () => ({}) as RewardContext;

beforeAll(async () => {
  dir = tmp.make();
  await run({ games: ['20q'], models: ['random-kb'], resultsDir: join(dir, 'results'), limit: 3, env: {}, keys: KeyRing.empty(), cwd: process.cwd() });
  const episodes = await episodesForLearning(join(dir, 'results'), '20q');
  states = episodes.flatMap((e) =>
    playerStates(e.recorded, { role: 'Questioner' }).map((state) => ({
      id: `${e.rel}#${state.player}#${state.playerTurn}`,
      state,
      metadata: rowMetadata({ episode: e.rel, game: '20q', experiment: e.recorded.experimentName, gameId: e.recorded.gameId, role: state.role, player: state.player, model: 'random-kb', outcome: e.outcome, mainScore: e.mainScore }, 'k', 'train'),
    })),
  );
}, 30_000);
afterAll(() => tmp.cleanup());

const options = (journal: string) => ({ states, policy, reward, contextFor, k: 4, minGap: 0.15, seed: 7, journal, concurrency: 3, settings: { k: 4, seed: 7 } });

describe('buildPairs', () => {
  it('keeps the best as chosen and the worst as rejected when the gap is large enough', async () => {
    const done = await buildPairs(options(join(dir, 'a.journal.jsonl')));
    expect(done.size).toBe(states.length);
    const pairs = [...done.values()].filter((e) => e.pair !== null);
    expect(pairs.length).toBeGreaterThan(0);
    for (const e of done.values()) {
      const scored = e.scores.filter((s): s is number => s !== null);
      if (e.pair === null) {
        expect(['reward gap below --min-gap 0.15', 'every scored candidate has the same reward', 'no candidate could be scored', 'the policy gave one reply 4 times (sample with -t above 0, or from a policy that varies)']).toContain(e.skipped);
        if (scored.length > 0) expect(Math.max(...scored) - Math.min(...scored)).toBeLessThan(0.15 + 1e-12);
        continue;
      }
      expect(e.pair.score_chosen).toBe(Math.max(...scored));
      expect(e.pair.score_rejected).toBe(Math.min(...scored));
      expect(e.pair.chosen[0]?.content).toBe(`Is it thing ${Math.round(e.pair.score_chosen * 10)}?`);
      expect(e.pair.prompt.at(-1)?.role).toBe('user');
      expect(e.pair.metadata.candidates).toBe(4);
    }
  });

  it('resumes from the journal: a run cut after some states ends with the same entries as one run', async () => {
    const whole = await buildPairs(options(join(dir, 'whole.journal.jsonl')));
    const journal = join(dir, 'cut.journal.jsonl');
    const controller = new AbortController();
    let n = 0;
    await expect(
      buildPairs({ ...options(journal), concurrency: 1, signal: controller.signal, onState: () => (++n === 3 ? controller.abort(new Error('killed')) : undefined) }),
    ).rejects.toThrow('killed');
    expect(readJournal(journal).entries.size).toBe(3);
    // A crash mid-write leaves half a line; it is dropped and that state done again.
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}{"state_id":"x","pa`);
    let fresh = 0;
    const resumed = await buildPairs({ ...options(journal), onState: () => fresh++ });
    expect(fresh).toBe(states.length - 3);
    const strip = (m: Map<string, { seconds: number }>) => [...m.entries()].map(([k, v]) => [k, { ...v, seconds: 0 }]).sort();
    expect(strip(resumed)).toEqual(strip(whole));
  });

  it('refuses to resume a journal begun with other settings', async () => {
    const journal = join(dir, 'whole.journal.jsonl');
    await expect(buildPairs({ ...options(journal), k: 3, settings: { k: 3, seed: 7 } })).rejects.toThrow(
      `${journal} holds states done with other settings (k: 4 then, 3 now). Run with the same settings to resume, or write to another -o FILE (or delete the journal to start over).`,
    );
  });

  it('scores each distinct reply once, and skips a state whose k replies are one without scoring it', async () => {
    const seen: string[][] = [];
    const spy: Reward = { ...reward, score: async (st, c, ctx) => (seen.push([...c]), reward.score(st, c, ctx)) };
    const done = await buildPairs({ ...options(join(dir, 'distinct.journal.jsonl')), reward: spy });
    for (const c of seen) expect(new Set(c).size).toBe(c.length);
    for (const e of done.values()) expect(e.scores).toHaveLength(4);
    seen.length = 0;
    const parrot = createProgrammaticBackend({ model_name: 'parrot', backend: 'programmatic' }, new Map([['parrot', { name: 'parrot', description: 'one reply', respond: () => 'Is it thing 3?' }]]));
    const same = await buildPairs({ ...options(join(dir, 'same.journal.jsonl')), policy: parrot, reward: spy, states: states.slice(0, 2) });
    expect([...same.values()].map((e) => [e.skipped, e.scores])).toEqual(Array.from({ length: 2 }, () => ['the policy gave one reply 4 times (sample with -t above 0, or from a policy that varies)', [null, null, null, null]]));
    expect(seen).toEqual([]);
  });

  it('a state where no candidate could be scored says why, from the reward\'s details', async () => {
    const unscored: Reward = { ...reward, score: async (_s, c) => ({ scores: c.map(() => null), details: c.map(() => ({ reason: 'the oracle is asleep' })) }) };
    const done = await buildPairs({ ...options(join(dir, 'unscored.journal.jsonl')), states: states.slice(0, 1), reward: unscored });
    expect([...done.values()].map((e) => e.skipped)).toEqual(['no candidate could be scored: the oracle is asleep']);
  });

  it('picks best and worst among the scored candidates, first on ties', () => {
    expect(bestAndWorst([0.2, null, 0.9, 0.1, 0.9])).toEqual({ best: 2, worst: 3 });
    expect(bestAndWorst([null, null])).toBeNull();
  });
});
