import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSeed } from '../base/rng.js';
import { loadPackagedGame, type AnyGame } from '../test/helpers/live-episode.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { readRecordedEpisode } from './recorded-episode.js';
import { replayEpisode } from './replay.js';
import { readResults } from './results-store/index.js';
import { run } from './runner.js';

const dirs = tempDirs();
let resultsDir: string;
beforeAll(async () => {
  resultsDir = dirs.make();
  const quiet = { cwd: resultsDir, env: {}, resultsDir, seed: 7, limit: 3 };
  await run({ ...quiet, games: ['20q'], models: ['kb-greedy'] });
  await run({ ...quiet, games: ['20q'], models: ['random-kb'] });
  await run({ ...quiet, games: ['hello'], models: ['mock'] });
});
afterAll(() => dirs.cleanup());

describe('readRecordedEpisode: a results folder\'s episodes as replay needs them', () => {
  it('every episode of a real run replays byte for byte with the seed derived from run.json', async () => {
    const read = await readResults(resultsDir);
    expect(read.episodes.length).toBeGreaterThanOrEqual(9);
    for (const e of read.episodes) {
      const recorded = await readRecordedEpisode(e);
      expect(recorded.seed).toBe(hashSeed(7, e.game, e.experiment, e.gameId as number));
      expect(recorded.experiment).toMatchObject({ name: e.experiment });
      expect(recorded.experiment).not.toHaveProperty('timestamp');
      expect(recorded.dir).toBe(e.dir);
      const { loaded } = await loadPackagedGame(e.game);
      const { session } = replayEpisode(recorded, { game: loaded.module.game as AnyGame, templates: loaded.templates });
      expect(session.outcome).toBe(await e.outcome());
    }
  });

  it('an episode keeps the seed it was played with when the folder is later resumed under another run seed', async () => {
    const dir = dirs.make();
    const opts = { cwd: dir, env: {}, resultsDir: dir, games: ['20q'], models: ['random-kb'] };
    await run({ ...opts, seed: 7, limit: 2 });
    await run({ ...opts, seed: 9, limit: 4 });
    const read = await readResults(dir);
    const seeds = await Promise.all(read.episodes.map(async (e) => [e.gameId, (await readRecordedEpisode(e)).seed] as const));
    const want = (runSeed: number, id: number) => hashSeed(runSeed, '20q', 'all_words', id);
    expect(seeds.filter(([id]) => id !== null).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([0, 1, 2, 3].map((id) => [id, want(id < 2 ? 7 : 9, id)]));

    // a file written before interactions.json recorded the seed: derived from run.json's run seed
    const old = (await readResults(resultsDir, { games: ['20q'] })).episodes[0]!;
    const file = join(old.dir, 'interactions.json');
    const { seed: _seed, ...meta } = (JSON.parse(readFileSync(file, 'utf8')) as { meta: Record<string, unknown> }).meta;
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), meta }));
    expect((await readRecordedEpisode(old)).seed).toBe(hashSeed(7, '20q', old.experiment, old.gameId as number));
  });

  it('a clem-ts interactions.json that does not fit its schema is an error naming the file, not a clemcore episode', async () => {
    const dir = dirs.make();
    await run({ cwd: dir, env: {}, resultsDir: dir, games: ['hello'], models: ['mock'], limit: 1 });
    const e = (await readResults(dir)).episodes[0]!;
    const file = join(e.dir, 'interactions.json');
    const { player_models: _drop, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(rest));
    const fresh = (await readResults(dir)).episodes[0]!;
    await expect(readRecordedEpisode(fresh)).rejects.toThrow(`${file}: player_models: expected record, got nothing`);
  });

  it('an episode that did not complete is refused', async () => {
    const read = await readResults(resultsDir);
    const e = read.episodes[0]!;
    const pending = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as typeof e, e, { status: 'pending' as const });
    await expect(readRecordedEpisode(pending)).rejects.toThrow(`${e.rel}: the episode did not complete (replay needs its interactions.json and completed.json)`);
  });
});
