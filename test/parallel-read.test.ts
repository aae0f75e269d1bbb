import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../registry/package-root.js';
import { tempDirs } from './helpers/temp-dir.js';
import { writeResults, type FakeEpisode } from './report/make-results.js';

/**
 * The reader's worker threads (core/results-store/parallel-list.ts) run compiled code only (the worker is
 * dist/core/results-store/list-worker.js), so this test loads the built reader, as the CLI does.
 */
const built = join(packageRoot(), 'dist', 'core', 'results-store', 'index.js');
const tmp = tempDirs();
afterEach(() => tmp.cleanup());

type Reader = typeof import('../core/results-store/index.js');

describe.skipIf(!existsSync(built))('reading on worker threads', () => {
  it('lists and reads exactly what the main thread alone does, errors included', async () => {
    const { readResults, loadEpisodeScores } = (await import(built)) as Reader;
    const root = tmp.make();
    const episodes: FakeEpisode[] = [];
    for (const model of ['a', 'b', 'c--d'])
      for (let i = 0; i < 40; i++) episodes.push({ model, game: i % 2 ? '20q' : 'hello', experiment: `e${i % 3}`, gameId: i, outcome: (['success', 'lose', 'aborted', 'errored', 'pending'] as const)[i % 5] ?? 'success', mainScore: i });
    writeResults(root, episodes);
    // A file the fast path cannot prove right, and one that does not parse: both left to the main thread.
    writeFileSync(join(root, 'a/20q/e1/instance_00001/scores.json'), '{"players": {"meta": {}}, "episode scores": {"Main Score": NaN}}');
    writeFileSync(join(root, 'b/20q/e0/instance_00003/scores.json'), '{"episode scores": {"Main Score": nan}}');
    mkdirSync(join(root, 'b/20q/e0/instance_00003'), { recursive: true });
    writeFileSync(join(root, 'b/20q/e0/instance_00003/.scores.json~h~1~1.tmp'), '');

    const read = async (threads: number) => {
      const r = await readResults(root, { models: ['a', 'b'] }, { episodeScores: true, threads, threadsFrom: 1 });
      await loadEpisodeScores(r.episodes);
      const scores = await Promise.all(r.episodes.map((e) => e.episodeScores().then((s) => s, (err: Error) => err.message)));
      return { rels: r.episodes.map((e) => [e.rel, e.status, [...e.files]]), scores, tempFiles: r.tempFiles, unplaced: r.unplaced };
    };
    const alone = await read(0);
    expect(alone.rels).toHaveLength(80);
    expect(alone.scores).toContainEqual({ 'episode scores': { 'Main Score': null } });
    expect(alone.scores.filter((s) => typeof s === 'string')).toEqual([expect.stringMatching(/instance_00003\/scores\.json: not valid JSON/)]);
    const { listAndReadParallel } = (await import(join(packageRoot(), 'dist', 'core', 'results-store', 'parallel-list.js'))) as typeof import('../core/results-store/parallel-list.js');
    const direct = await listAndReadParallel(root, { readScores: true, threads: 2, minFolders: 1 });
    expect(direct.threads).toBe(2);
    expect(direct.listing.episodes).toHaveLength(120);
    // 72 scored, plus the errored folder given a scores.json, less the two files left to the main thread.
    expect(direct.scores.size).toBe(72 + 1 - 2);
    expect(await read(2)).toEqual(alone);
    expect(await read(1)).toEqual(alone); // one worker beside the main thread, which runs a share too
  });
});
