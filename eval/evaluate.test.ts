import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WritableFile, type WriteIO, nodeWriteIO } from '../base/atomic.js';
import { FileFormatError, WriteError } from '../base/errors.js';
import { evaluate } from './evaluate.js';

/**
 * A hand-made results folder with every case eval must get right, in both layouts:
 *
 * m-a (clem-ts / clemcore ≥3.3 layout: <exp>/instance_NNNNN)
 *   alpha: (Aborted, Main) = (0,100) (0,50) (1,NaN) (0,0), plus instance_00004 errored (error.json, no scores.json)
 *          % Played = 3/4 = 75.0; Quality = (100+50+0)/3 = 50.0; std = 50.0
 *   beta:  (1,NaN) (1,null)  → % Played 0.0, Quality empty (left out of the average), std empty
 *   gamma: (0,0.25) (0,0)    → % Played 100.0, Quality 0.125 → 0.12 (a tie: half-even; half-up would say 0.13),
 *                              std 0.1768 → 0.18
 *   Average % Played = (75+0+100)/3 = 58.333… → 58.33; Average Quality = (50.0+0.12)/2 = 25.06
 *   clemscore = 0.5833 × 25.06 = 14.617… → 14.62
 * m-b (clemcore ≤3.2 layout: <i>_<exp>/episode_k)
 *   alpha: (0,2.675) (1,NaN), plus 1_exp2/episode_0 with instance.json only (never scored: errored)
 *          % Played 50.0; Quality 2.675 → 2.68 (numpy: 2.675·100 is exactly 267.5 in binary; even → 268); std empty
 *   gamma: (0,100) (0,0)     → 100.0, 50.0, std 70.71
 *   Average % Played = 75.0; Average Quality = (2.68+50.0)/2 = 26.34
 *   clemscore = 0.75 × 26.34 = 19.754999… in binary, ×100 = 1975.5 exactly → even → 19.76
 * old-run/m-a/alpha/exp1/instance_00000 repeats an m-a episode (skipped as a duplicate); stray/scores.json fits no
 * layout (reported as unplaced).
 */

let root: string;

async function put(rel: string, files: Record<string, string>): Promise<void> {
  const dir = path.join(root, rel);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
}

// Scores are written as text so bare NaN reaches the reader as Python writes it.
const ep = (aborted: number, main: string, extra = ''): Record<string, string> => ({
  'instance.json': '{}',
  'scores.json': `{"turn scores": {}, "episode scores": {"Aborted": ${aborted}, "Main Score": ${main}${extra}}}`,
});

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'clem-eval-'));
  await put('m-a/alpha/exp1/instance_00000', ep(0, '100'));
  await put('m-a/alpha/exp1/instance_00001', ep(0, '50'));
  await put('m-a/alpha/exp1/instance_00002', ep(1, 'NaN'));
  await put('m-a/alpha/exp2/instance_00003', ep(0, '0'));
  await put('m-a/alpha/exp2/instance_00004', { 'instance.json': '{}', 'error.json': '{"error": "BackendError"}' });
  await put('m-a/beta/exp1/instance_00000', ep(1, 'NaN'));
  await put('m-a/beta/exp1/instance_00001', ep(1, 'null'));
  await put('m-a/gamma/exp1/instance_00000', ep(0, '0.25', ', "Success": 1'));
  await put('m-a/gamma/exp1/instance_00001', ep(0, '0', ', "Success": 0'));
  await put('m-b/alpha/0_exp1/episode_0', ep(0, '2.675'));
  await put('m-b/alpha/0_exp1/episode_1', ep(1, 'NaN'));
  await put('m-b/alpha/1_exp2/episode_0', { 'instance.json': '{}' });
  await put('m-b/gamma/0_exp1/episode_0', ep(0, '100', ', "Success": true'));
  await put('m-b/gamma/0_exp1/episode_1', ep(0, '0', ', "Success": 1'));
  await put('old-run/m-a/alpha/exp1/instance_00000', ep(0, '0'));
  await put('stray', { 'scores.json': '{"episode scores": {}}' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const HEADER =
  ',"-, clemscore","all, Average % Played","all, Average Quality Score","alpha, % Played","alpha, Quality Score",' +
  '"alpha, Quality Score (std)","beta, % Played","beta, Quality Score","beta, Quality Score (std)","gamma, % Played",' +
  '"gamma, Quality Score","gamma, Quality Score (std)"';
const ROW_A = 'm-a,14.62,58.33,25.06,75.0,50.0,50.0,0.0,,,100.0,0.12,0.18';
const ROW_B = 'm-b,19.76,75.0,26.34,50.0,2.68,,,,,100.0,50.0,70.71';

describe('evaluate', () => {
  it('writes clemcore’s results.csv for the hand-computed tree', async () => {
    const summary = await evaluate({ resultsDir: root, std: true });
    expect(await readFile(path.join(root, 'results.csv'), 'utf8')).toBe(`${HEADER}\n${ROW_A}\n${ROW_B}\n`);
    expect(summary.episodes).toBe(12);
    expect(summary.models.map((m) => [m.model, m.clemscore])).toEqual([
      ['m-a', 14.62],
      ['m-b', 19.76],
    ]);
    const beta = summary.models[0]?.games.find((g) => g.game === 'beta');
    expect(beta).toEqual({ game: 'beta', episodes: 2, errored: 0, played: 0, quality: null, qualityStd: null });
    expect(summary.table.rows[1]?.values.slice(0, 3)).toEqual([19.76, 75, 26.34]);
  });

  it('leaves out std columns without --std and sorts by clemscore on request', async () => {
    await evaluate({ resultsDir: root, sort: 'clemscore' });
    const text = await readFile(path.join(root, 'results.csv'), 'utf8');
    const [header, first, second] = text.trimEnd().split('\n');
    expect(header).toBe(HEADER.replace(/,"[a-z]+, Quality Score \(std\)"/g, ''));
    expect(first).toBe('m-b,19.76,75.0,26.34,50.0,2.68,,,100.0,50.0');
    expect(second).toBe('m-a,14.62,58.33,25.06,75.0,50.0,0.0,,100.0,0.12');
  });

  it('counts errored episodes per model and game in errors.csv', async () => {
    const summary = await evaluate({ resultsDir: root });
    expect(await readFile(path.join(root, 'errors.csv'), 'utf8')).toBe(
      [
        'model,game,episodes,errored,error_json,no_scores',
        'm-a,alpha,5,1,1,0',
        'm-a,beta,2,0,0,0',
        'm-a,gamma,2,0,0,0',
        'm-b,alpha,3,1,0,1',
        'm-b,gamma,2,0,0,0',
        '',
      ].join('\n'),
    );
    expect(summary.erroredEpisodes.map((e) => [e.dir, e.reason, e.scored])).toEqual([
      ['m-a/alpha/exp2/instance_00004', 'error_json', false],
      ['m-b/alpha/1_exp2/episode_0', 'no_scores', false],
    ]);
    const md = await readFile(summary.files.markdown, 'utf8');
    expect(md).toContain('| m-a | alpha | 4 | 1 | 75.00 | 50.00 | 50.00 |');
    expect(md).toContain('2 errored episode(s) are not in any average');
  });

  it('writes raw.csv in clemcore’s long format, Played rows last', async () => {
    await evaluate({ resultsDir: root });
    const lines = (await readFile(path.join(root, 'raw.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines.slice(0, 7)).toEqual([
      ',game,model,experiment,episode,metric,value',
      '0,alpha,m-a,exp1,instance_00000,Aborted,0',
      '1,alpha,m-a,exp1,instance_00000,Main Score,100',
      '2,alpha,m-a,exp1,instance_00001,Aborted,0',
      '3,alpha,m-a,exp1,instance_00001,Main Score,50',
      '4,alpha,m-a,exp1,instance_00002,Aborted,1',
      '5,alpha,m-a,exp1,instance_00002,Main Score,',
    ]);
    // 28 score rows (12 episodes × Aborted and Main Score, 4 gamma episodes × Success), then 12 Played rows.
    expect(lines).toHaveLength(1 + 28 + 12);
    expect(lines[29]).toBe('28,alpha,m-a,exp1,instance_00000,Played,1');
    expect(lines.at(-1)).toBe('39,gamma,m-b,0_exp1,episode_1,Played,1');
    expect(lines).toContain('19,alpha,m-b,0_exp1,episode_0,Main Score,2.675');
    expect(lines).toContain('24,gamma,m-b,0_exp1,episode_0,Success,True');
  });

  it('filters models by substring and games by name', async () => {
    const summary = await evaluate({ resultsDir: root, models: ['-b'], games: ['gamma'] });
    expect(summary.table.columns).toEqual(['-, clemscore', 'all, Average % Played', 'all, Average Quality Score', 'gamma, % Played', 'gamma, Quality Score']);
    expect(summary.table.rows).toEqual([{ model: 'm-b', values: [50, 100, 50, 100, 50] }]);
  });

  it('averages the game-specific metrics a caller names, without knowing the game', async () => {
    const summary = await evaluate({ resultsDir: root, extraMetrics: { gamma: ['Success', 'Questions'] } });
    expect(summary.extra).toEqual([
      { model: 'm-a', game: 'gamma', metric: 'Success', mean: 0.5, n: 2 },
      { model: 'm-a', game: 'gamma', metric: 'Questions', mean: null, n: 0 },
      { model: 'm-b', game: 'gamma', metric: 'Success', mean: 1, n: 2 },
      { model: 'm-b', game: 'gamma', metric: 'Questions', mean: null, n: 0 },
    ]);
    expect(await readFile(path.join(root, 'extra.csv'), 'utf8')).toBe(
      'model,game,metric,mean,n\nm-a,gamma,Success,0.5,2\nm-a,gamma,Questions,,0\nm-b,gamma,Success,1.0,2\nm-b,gamma,Questions,,0\n',
    );
  });

  it('has no % Played column for a game that never logs Aborted, as clemcore pivots it', async () => {
    const only = path.join(root, 'only');
    for (const [rel, text] of [
      ['m/alpha/e/instance_00000', '{"episode scores": {"Aborted": 0, "Main Score": 40}}'],
      ['m/alpha/e/instance_00001', '{"episode scores": {"Aborted": 1, "Main Score": NaN}}'],
      ['m/nolog/e/instance_00000', '{"episode scores": {"Main Score": 90}}'],
    ] as const) {
      await mkdir(path.join(only, rel), { recursive: true });
      await writeFile(path.join(only, rel, 'scores.json'), text);
    }
    const summary = await evaluate({ resultsDir: only });
    // Average % Played over alpha only (50.0); Average Quality over both games (40+90)/2 = 65.0; 0.5 × 65 = 32.5
    expect(summary.table).toEqual({
      columns: ['-, clemscore', 'all, Average % Played', 'all, Average Quality Score', 'alpha, % Played', 'alpha, Quality Score', 'nolog, Quality Score'],
      rows: [{ model: 'm', values: [32.5, 50, 65, 50, 40, 90] }],
    });
  });

  it('refuses a game that logs Played itself, naming the file', async () => {
    await put('m-c/alpha/exp1/instance_00000', { 'scores.json': '{"episode scores": {"Aborted": 0, "Played": 1}}' });
    const run = evaluate({ resultsDir: root });
    await expect(run).rejects.toBeInstanceOf(FileFormatError);
    await expect(evaluate({ resultsDir: root })).rejects.toThrow(
      `${path.join(root, 'm-c/alpha/exp1/instance_00000/scores.json')}: episode scores.Played: must not be logged by a game; eval derives it as 1 - Aborted`,
    );
  });
});

describe('evaluate never destroys its outputs', () => {
  const outputs = async (): Promise<Record<string, string>> => {
    const names = (await readdir(root)).filter((n) => n.endsWith('.csv') || n.endsWith('.md')).sort();
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(path.join(root, n), 'utf8')] as const)));
  };

  it('refuses a game or model that matches nothing, naming the closest, and writes nothing', async () => {
    await evaluate({ resultsDir: root, std: true });
    const before = await outputs();
    expect(Object.keys(before)).toEqual(['errors.csv', 'raw.csv', 'results.csv', 'results.md']);
    await expect(evaluate({ resultsDir: root, games: ['Alpha'] })).rejects.toThrow(/^unknown game 'Alpha'\. Did you mean: alpha\?/);
    await expect(evaluate({ resultsDir: root, games: ['alpha', 'gama'] })).rejects.toThrow(/^unknown game 'gama'\. Did you mean: gamma, beta\? Games with episodes in .*: alpha, beta, gamma\.$/);
    await expect(evaluate({ resultsDir: root, models: ['nosuch'] })).rejects.toThrow(/^unknown model 'nosuch'\./);
    expect(await outputs()).toEqual(before);
    expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a missing results folder without creating it, or its output folder', async () => {
    const missing = path.join(root, 'nope');
    await expect(evaluate({ resultsDir: missing, outDir: path.join(missing, 'out') })).rejects.toThrow(
      `results folder '${missing}' does not exist or is not a folder; pass the folder that \`run\` wrote (-r).`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a selection without scored episodes and writes nothing', async () => {
    await put('m-e/alpha/exp1/instance_00000', { 'instance.json': '{}', 'error.json': '{}' });
    await evaluate({ resultsDir: root });
    const before = await outputs();
    await expect(evaluate({ resultsDir: root, models: ['m-e'] })).rejects.toThrow(
      `no episode in ${root} that matches the selection has a scores.json (1 errored or unscored episode folder(s)); nothing was written. Run \`clem-ts score\` first, or check -r.`,
    );
    expect(await outputs()).toEqual(before);
  });

  it('reports duplicates and files outside the layout', async () => {
    const summary = await evaluate({ resultsDir: root });
    expect(summary.duplicates.map((d) => d.dir)).toEqual(['old-run/m-a/alpha/exp1/instance_00000']);
    expect(summary.unplaced).toEqual(['stray/scores.json']);
    expect(summary.episodes).toBe(12);
  });
});

/**
 * node:fs/promises, except for the temporary file of `target`: its first write is short (the disk takes 100 bytes,
 * as a disk filling up mid-row does), and the next fails with `code` — or, with `code` undefined, accepts nothing.
 */
function fullDiskAt(target: string, code: string | undefined): WriteIO {
  return {
    ...nodeWriteIO,
    async open(file: string, flags: 'wx'): Promise<WritableFile> {
      const handle = await nodeWriteIO.open(file, flags);
      if (!path.basename(file).startsWith(`.${target}~`)) return handle;
      let calls = 0;
      return {
        write: async (buffer, offset, length) => {
          if (calls++ === 0) return handle.write(buffer, offset, Math.min(length, 100));
          if (code === undefined) return { bytesWritten: 0 };
          throw Object.assign(new Error(`${code}: injected`), { code });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

describe('evaluate on a full disk', () => {
  const outputs = async (): Promise<Record<string, string>> => {
    const names = (await readdir(root)).filter((n) => !n.startsWith('.')).filter((n) => /\.(csv|md)$/.test(n)).sort();
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(path.join(root, n), 'utf8')] as const)));
  };
  const temporary = async (): Promise<string[]> => (await readdir(root)).filter((n) => n.endsWith('.tmp'));

  it.each(['raw.csv', 'results.csv', 'errors.csv', 'results.md', 'intervals.csv'])(
    'ENOSPC while writing %s: one line naming it and the cause, every previous file kept, no temporary file',
    async (target) => {
      const options = { resultsDir: root, std: true, bootstrap: { resamples: 50, seed: 1 } };
      await evaluate(options);
      const before = await outputs();
      // Different numbers this time, so that a file that was replaced would show.
      await put('m-a/alpha/exp1/instance_00000', ep(0, '7'));
      const error = await evaluate({ ...options, io: fullDiskAt(target, 'ENOSPC') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WriteError);
      expect((error as Error).message).toBe(`cannot write ${path.join(root, target)}: no space left on device (ENOSPC); the previous file (if any) is unchanged`);
      const after = await outputs();
      expect(after[target]).toBe(before[target]);
      // Files written before the failing one hold the new numbers; the failing one and those after it, the old.
      expect(Object.keys(after)).toEqual(Object.keys(before));
      expect(await temporary()).toEqual([]);
    },
  );

  it('a write the disk takes only in part is not renamed over raw.csv', async () => {
    await evaluate({ resultsDir: root });
    const before = await readFile(path.join(root, 'raw.csv'), 'utf8');
    await put('m-a/alpha/exp1/instance_00000', ep(0, '7'));
    await expect(evaluate({ resultsDir: root, io: fullDiskAt('raw.csv', undefined) })).rejects.toThrow(
      new RegExp(`^cannot write ${path.join(root, 'raw.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file system accepted 100 of \\d+ bytes and then no more \\(short write\\); the previous file \\(if any\\) is unchanged$`),
    );
    expect(await readFile(path.join(root, 'raw.csv'), 'utf8')).toBe(before);
    expect(await temporary()).toEqual([]);
  });
});
