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

  it('an episode that did not complete is refused', async () => {
    const read = await readResults(resultsDir);
    const e = read.episodes[0]!;
    const pending = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as typeof e, e, { status: 'pending' as const });
    await expect(readRecordedEpisode(pending)).rejects.toThrow(`${e.rel}: the episode did not complete (replay needs its interactions.json and completed.json)`);
  });
});
