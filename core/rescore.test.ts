import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRing } from '../registry/keys.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { writeToyGame } from '../test/helpers/toy-game.js';
import { rescore } from './rescore.js';
import { run, type RunSummary } from './runner.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** A folder holding the toy game and the results of one run of it. */
async function toyResults(): Promise<{ cwd: string; resultsDir: string; summary: RunSummary }> {
  const cwd = tmp.make();
  writeToyGame(cwd);
  const resultsDir = join(cwd, 'results');
  return { cwd, resultsDir, summary: await run({ games: ['toy'], models: ['mock'], resultsDir, cwd, env: {}, keys: KeyRing.empty() }) };
}

describe('rescore', () => {
  it('writes again the scores.json the run wrote, for every episode, and filters by game', async () => {
    const { cwd, resultsDir, summary } = await toyResults();
    const files = summary.episodes.map((e) => join(e.dir, 'scores.json'));
    const written = files.map((f) => readFileSync(f, 'utf8'));
    for (const f of files) writeFileSync(f, '{}');

    // A game or model that matches no episode is refused before anything is written (a typo must not pass as "0 scored").
    await expect(rescore({ resultsDir, cwd, env: {}, game: 'Toy' })).rejects.toThrow(`unknown game 'Toy'. Did you mean: toy? Games with episodes in ${resultsDir}: toy.`);
    await expect(rescore({ resultsDir, cwd, env: {}, model: 'nosuch' })).rejects.toThrow(/^unknown model 'nosuch'\./);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(files.map(() => '{}'));
    expect(await rescore({ resultsDir, cwd, env: {}, game: 'toy', model: 'mo' })).toEqual({ scored: files.length, failed: [], links: { root: resultsDir, links: [] } });
    for (const f of files) writeFileSync(f, '{}');
    expect(await rescore({ resultsDir, cwd, env: {} })).toEqual({ scored: files.length, failed: [], links: { root: resultsDir, links: [] } });
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(written);
  });
});

describe('rescore on a folder it cannot write or read', () => {
  it('stops at the first scores.json it cannot write, naming it once (not once per episode)', async () => {
    const { cwd, resultsDir, summary } = await toyResults();
    const [first, second] = summary.episodes.map((e) => join(e.dir, 'scores.json')) as [string, string];
    // A folder where scores.json must go: the rename fails (as on a read-only or full disk) and the file stays.
    rmSync(first);
    mkdirSync(first);
    const before = readFileSync(second, 'utf8');
    writeFileSync(second, '{}');
    await expect(rescore({ resultsDir, cwd, env: {} })).rejects.toThrow(`cannot write ${first}: a folder is in the way (EISDIR); the previous file (if any) is unchanged`);
    expect(readFileSync(second, 'utf8')).toBe('{}');
    expect(before).not.toBe('{}');
  });

  it('names a file that does not parse once, with its field', async () => {
    const { cwd, resultsDir, summary } = await toyResults();
    const interactions = join(summary.episodes[0]?.dir as string, 'interactions.json');
    writeFileSync(interactions, '{"meta": {}, "turns": "x"}');
    const result = await rescore({ resultsDir, cwd, env: {} });
    expect(result.failed).toEqual([{ file: interactions, message: 'turns: expected array, got "x"' }]);
    expect(result.scored).toBe(summary.episodes.length - 1);
  });
});
