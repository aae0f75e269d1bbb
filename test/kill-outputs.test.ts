import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { THIS_HOST } from '../base/atomic.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';
import { type FakeEpisode, writeResults } from './report/make-results.js';

/**
 * A `kill -9` during eval or transcribe leaves temporary files (`.<name>~<host>~<pid>~<n>.tmp`) in the results root
 * and in episode folders; the next eval or transcribe removes them (their writer is gone) at every level, and
 * never a live writer's. The kill is sent when a temporary file appears; a run that finished its write before the
 * signal landed leaves none, and is tried again (at most a few times).
 */

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** Every temporary file under `dir` (relative paths). */
function tempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else if (e.name.endsWith('.tmp')) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

function bigResults(root: string, episodes: number): void {
  const list: FakeEpisode[] = [];
  const long = 'A question about the hidden word, asked at some length so that the transcript has something to show. '.repeat(20);
  for (let i = 0; i < episodes; i++) {
    const outcome = (['success', 'lose', 'aborted', 'success'] as const)[i % 4] ?? 'success';
    list.push({
      model: i % 2 ? 'model-a' : 'model-b',
      game: '20q',
      experiment: `e${i % 5}`,
      gameId: i,
      outcome,
      mainScore: (i * 7) % 100,
      rounds: Array.from({ length: 8 }, (_, r) => [
        { from: 'GM', to: 'Player 1', type: 'send message', content: `${long} round ${r}`, label: 'context' },
        { from: 'Player 1', to: 'GM', type: 'get message', content: `QUESTION: is it ${r}?`, label: 'response' },
      ]),
    });
  }
  writeResults(root, list);
}

/** Spawns the CLI and kills it with SIGKILL as soon as a temporary file appears in one of `watched`. */
function killOnTempFile(args: readonly string[], cwd: string, watched: readonly string[]): Promise<{ killed: boolean; pid: number }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' });
    let killed = false;
    const watchers = watched.map((dir) =>
      watch(dir, (_event, name) => {
        if (!killed && typeof name === 'string' && name.endsWith('.tmp')) {
          killed = true;
          child.kill('SIGKILL');
        }
      }),
    );
    child.on('error', reject);
    child.on('exit', () => {
      for (const w of watchers) w.close();
      resolve({ killed, pid: child.pid ?? -1 });
    });
  });
}

async function leaveTempFiles(args: readonly string[], cwd: string, results: string, watched: readonly string[]): Promise<{ left: string[]; pid: number }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const { pid } = await killOnTempFile(args, cwd, watched);
    const left = tempFiles(results);
    if (left.length > 0) return { left, pid };
  }
  throw new Error(`no temporary file was left after 8 kills of ${args.join(' ')}`);
}

describe.skipIf(!cliIsBuilt())('temporary files after kill -9', () => {
  it('of eval: the next eval removes them from the root, and its outputs are whole', async () => {
    const cwd = tmp.make();
    const results = join(cwd, 'results');
    bigResults(results, 400);
    const clean = await runCli(['eval'], { cwd });
    expect(clean.code, clean.stderr).toBe(0);
    const want = readFileSync(join(results, 'results.csv'), 'utf8');

    const { left, pid } = await leaveTempFiles(['eval'], cwd, results, [results]);
    for (const f of left) expect(f).toMatch(new RegExp(`^\\.[a-z.]+~[^~]+~${pid}~\\d+\\.tmp$`));

    const again = await runCli(['eval'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(tempFiles(results)).toEqual([]);
    expect(readFileSync(join(results, 'results.csv'), 'utf8')).toBe(want);
  });

  it('of transcribe: the next transcribe removes them from episode folders, and only the dead writer’s', async () => {
    const cwd = tmp.make();
    const results = join(cwd, 'results');
    bigResults(results, 200);
    // Transcripts are written in the reader's order, eight at a time: the first episodes' folders see the first ones.
    const first = join(results, 'model-a', '20q', 'e1');
    const episodeDirs = readdirSync(first).sort().slice(0, 4).map((d) => join(first, d));

    const { left, pid } = await leaveTempFiles(['transcribe'], cwd, results, episodeDirs);
    for (const f of left) expect(f).toMatch(new RegExp(`/\\.transcript\\.html~[^~]+~${pid}~\\d+\\.tmp$|^\\.index\\.html~[^~]+~${pid}~\\d+\\.tmp$`));
    // A live writer's temporary file (this test process) must survive.
    const live = join(episodeDirs[0] as string, `.transcript.html~${THIS_HOST}~${process.pid}~1.tmp`);
    writeFileSync(live, 'being written');

    const again = await runCli(['transcribe'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(tempFiles(results)).toEqual([relative(results, live)]);
  });
});
