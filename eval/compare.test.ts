import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnknownNameError } from '../base/errors.js';
import { Xoshiro128, bootstrapModel } from './bootstrap.js';
import { compare } from './compare.js';
import { type EpisodeTable, type ModelEpisodes, addEpisode } from './episodes.js';
import { compareModels, evaluate } from './evaluate.js';
import { comparisonMarkdown } from './report.js';

/** Builds a model's episodes in memory: per game, a list of (Aborted, Main Score) per instance id. */
function model(name: string, games: Record<string, [number, number | null][]>): ModelEpisodes {
  const table: EpisodeTable = new Map();
  for (const [game, episodes] of Object.entries(games)) {
    episodes.forEach(([aborted, main], i) => {
      const ref = { model: name, game, experiment: 'e', episode: `instance_${String(i).padStart(5, '0')}`, dir: '' };
      addEpisode(table, ref, { Aborted: aborted, 'Main Score': main }, 'mem');
    });
  }
  return table.get(name) as ModelEpisodes;
}

const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('Xoshiro128', () => {
  it('is deterministic per seed and spreads over the range', () => {
    const a = new Xoshiro128(7);
    const b = new Xoshiro128(7);
    const xs = repeat(1000, () => a.nextInt(10));
    expect(repeat(1000, () => b.nextInt(10))).toEqual(xs);
    expect(repeat(1000, () => new Xoshiro128(8).nextInt(10))).not.toEqual(xs);
    const counts = repeat(10, (k) => xs.filter((x) => x === k).length);
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });
});

describe('bootstrapModel', () => {
  const m = model('m', {
    always: repeat(30, (i) => [0, i % 2 === 0 ? 100 : 0]),
    never: repeat(10, () => [1, null]),
    half: repeat(40, (i) => (i % 2 === 0 ? [0, 50] : [1, null])),
  });

  it('gives intervals that cover the point estimates and collapse where there is no spread', () => {
    const iv = bootstrapModel(m, { resamples: 500, seed: 3 });
    const byGame = new Map(iv.games.map((g) => [g.game, g]));
    expect(byGame.get('always')?.played).toEqual({ low: 100, high: 100 });
    expect(byGame.get('never')?.played).toEqual({ low: 0, high: 0 });
    expect(byGame.get('never')?.quality).toEqual({ low: null, high: null });
    expect(byGame.get('half')?.quality).toEqual({ low: 50, high: 50 });
    const q = byGame.get('always')?.quality;
    expect(q?.low).toBeLessThan(50);
    expect(q?.high).toBeGreaterThan(50);
    // clemscore point estimate: (100+0+50)/3 = 50.0 played, (50+50)/2 = 50 quality → 25.0
    expect(iv.clemscore.low).toBeLessThan(25);
    expect(iv.clemscore.high).toBeGreaterThan(25);
  });

  it('is reproducible from its seed and changes with it', () => {
    const a = bootstrapModel(m, { resamples: 200, seed: 1 });
    expect(bootstrapModel(m, { resamples: 200, seed: 1 })).toEqual(a);
    expect(bootstrapModel(m, { resamples: 200, seed: 2 }).clemscore).not.toEqual(a.clemscore);
  });
});

describe('compare', () => {
  // a solves 80% of 'g' (Main Score 100 or 0), b 30% of the same instances; both never play 'h' … except a on one.
  const a = model('a', { g: repeat(50, (i) => [0, i % 5 !== 0 ? 100 : 0]), onlyA: [[0, 10]] });
  const b = model('b', { g: repeat(60, (i) => [0, i % 10 < 3 ? 100 : 0]) });

  it('pairs episodes by instance and bounds the difference', () => {
    const c = compare(a, b, { resamples: 500, seed: 5 });
    expect(c.gamesOnlyInA).toEqual(['onlyA']);
    const g = c.games[0];
    expect(g).toMatchObject({ game: 'g', pairedEpisodes: 50, onlyInA: 0, onlyInB: 10 });
    expect(g?.quality.a).toBe(80);
    expect(g?.quality.b).toBe(30);
    expect(g?.quality.diff).toBe(50);
    expect(g?.quality.interval.low).toBeGreaterThan(25);
    expect(g?.quality.interval.high).toBeLessThan(75);
    expect(g?.quality.probabilityAGreater).toBe(1);
    expect(g?.played.diff).toBe(0);
    // clemscore on paired games only: 1.0 × 80 vs 1.0 × 30
    expect(c.clemscore).toMatchObject({ a: 80, b: 30, diff: 50, probabilityAGreater: 1 });
    expect(comparisonMarkdown(c)).toContain('| clemscore | 80.00 | 30.00 | 50.00 |');
  });

  it('gives a zero-centred interval for a model against itself', () => {
    const c = compare(a, a, { resamples: 300, seed: 1 });
    expect(c.clemscore.diff).toBe(0);
    expect(c.clemscore.interval).toEqual({ low: 0, high: 0 });
    expect(c.clemscore.probabilityAGreater).toBe(0.5);
  });
});

describe('files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'clem-compare-'));
    for (const [m, mains] of [
      ['model-a', [100, 100, 0]],
      ['model-b', [0, 100, 0]],
    ] as const) {
      for (let i = 0; i < mains.length; i++) {
        const dir = path.join(root, m, 'g', 'e', `instance_0000${i}`);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'scores.json'), JSON.stringify({ 'episode scores': { Aborted: 0, 'Main Score': mains[i] } }));
      }
    }
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('compareModels reads a results folder and names unknown models with the closest ones', async () => {
    const c = await compareModels({ resultsDir: root, a: 'model-a', b: 'model-b', bootstrap: { resamples: 100, seed: 1 } });
    expect(c.clemscore).toMatchObject({ a: 66.67, b: 33.33, diff: 33.34 });
    const miss = compareModels({ resultsDir: root, a: 'model-c', b: 'model-b' });
    await expect(miss).rejects.toBeInstanceOf(UnknownNameError);
    await expect(compareModels({ resultsDir: root, a: 'model-c', b: 'model-b' })).rejects.toThrow(
      `unknown model 'model-c'. Did you mean: model-a, model-b? Models with episodes in ${root}: model-a, model-b.`,
    );
  });

  it('evaluate writes the same intervals.csv for the same seed', async () => {
    const first = await evaluate({ resultsDir: root, bootstrap: { resamples: 200, seed: 9 } });
    const text = await readFile(first.files.intervals as string, 'utf8');
    expect(text.split('\n')[0]).toBe('model,game,metric,value,low,high');
    expect(text).toMatch(/^model-a,all,clemscore,66\.67,/m);
    await evaluate({ resultsDir: root, bootstrap: { resamples: 200, seed: 9 } });
    expect(await readFile(first.files.intervals as string, 'utf8')).toBe(text);
    const md = await readFile(first.files.markdown, 'utf8');
    expect(md).toContain('| model | clemscore | 95% CI | Average % Played | Average Quality Score |');
  });
});
