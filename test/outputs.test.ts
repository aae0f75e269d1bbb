import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';
import { writeResults } from './report/make-results.js';

/**
 * eval, score and transcribe never destroy what is there: a selection that matches nothing exits 2 naming the
 * closest names and writes nothing; a results folder that does not exist is an error, not created.
 */

const tmp = tempDirs();
let cwd: string;
let results: string;

/** Every file under `dir` with its modification time, to show a command changed nothing. */
function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string, rel: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(join(d, entry.name), r);
      else out[r] = statSync(join(d, entry.name)).mtimeMs;
    }
  };
  walk(dir, '');
  return out;
}

beforeEach(async () => {
  cwd = tmp.make();
  results = join(cwd, 'results');
  writeResults(results, [
    { model: 'kb-greedy', game: '20q', experiment: 'easy', gameId: 0, outcome: 'success', mainScore: 75 },
    { model: 'kb-greedy', game: '20q', experiment: 'easy', gameId: 1, outcome: 'lose' },
    { model: 'kb-greedy', game: '20q', experiment: 'easy', gameId: 2, outcome: 'errored' },
  ]);
  const first = await runCli(['eval', '--resamples', '0'], { cwd });
  expect(first.code, first.stderr).toBe(0);
});
afterEach(() => tmp.cleanup());

describe.skipIf(!cliIsBuilt())('a selection that matches nothing', () => {
  it.each([
    [['eval', '-g', '20Q'], "clem-ts: unknown game '20Q'. Did you mean: 20q? Games with episodes in RESULTS: 20q.\n"],
    [['eval', '-g', '20q', 'wordle'], "clem-ts: unknown game 'wordle'. Games with episodes in RESULTS: 20q.\n"],
    [['eval', '-m', 'nosuch'], "clem-ts: unknown model 'nosuch'. Models with episodes in RESULTS: kb-greedy.\n"],
    [['eval', '-m', 'kb-gredy'], "clem-ts: unknown model 'kb-gredy'. Did you mean: kb-greedy? Models with episodes in RESULTS: kb-greedy.\n"],
    [['eval', '--compare', 'kb-greedy', 'nosuch'], "clem-ts: unknown model 'nosuch'. Models with episodes in RESULTS: kb-greedy.\n"],
    [['score', '-g', 'nosuch'], "clem-ts: unknown game 'nosuch'. Games with episodes in RESULTS: 20q.\n"],
    [['score', '-m', 'nosuch'], "clem-ts: unknown model 'nosuch'. Models with episodes in RESULTS: kb-greedy.\n"],
    [['transcribe', '-g', 'nosuch'], "clem-ts: unknown game 'nosuch'. Games with episodes in RESULTS: 20q.\n"],
  ])('%j exits 2 with the closest names and writes nothing', async (args, message) => {
    const before = snapshot(results);
    const r = await runCli(args, { cwd });
    expect(r.stderr).toBe(message.replace('RESULTS', results));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(snapshot(results)).toEqual(before);
  });

  it('leaves a good results.csv in place (eval used to replace it with an empty one)', async () => {
    const good = readFileSync(join(results, 'results.csv'), 'utf8');
    expect(good).toMatch(/^,"-, clemscore",/);
    expect((await runCli(['eval', '-g', '20Q'], { cwd })).code).toBe(2);
    expect(readFileSync(join(results, 'results.csv'), 'utf8')).toBe(good);
  });
});

describe.skipIf(!cliIsBuilt())('a results folder that does not exist', () => {
  it.each([['eval'], ['score'], ['transcribe']])('%s -r missing exits 2 and does not create it', async (verb) => {
    const r = await runCli([verb, '-r', 'missing-dir'], { cwd });
    expect(r.stderr).toBe(`clem-ts: results folder '${join(cwd, 'missing-dir')}' does not exist or is not a folder; pass the folder that \`run\` wrote (-r).\n`);
    expect(r.code).toBe(2);
    expect(existsSync(join(cwd, 'missing-dir'))).toBe(false);
  });
});

describe.skipIf(!cliIsBuilt())('score with a broken experiment.json', () => {
  it('names the file once, with the number of episodes it failed, and exits 1', async () => {
    const file = join(results, 'kb-greedy', '20q', 'easy', 'experiment.json');
    writeFileSync(file, 'garbage{');
    const r = await runCli(['score'], { cwd });
    expect(r.stdout).toContain(`\n  ${file}: not valid JSON: unexpected character "g" (`);
    expect(r.stdout.split('\n').filter((l) => l.includes('experiment.json'))).toHaveLength(1);
    expect(r.code).toBe(1);
  });
});

describe.skipIf(!cliIsBuilt())('an empty -r (an unset variable)', () => {
  it.each([['run', '-g', 'hello', '-m', 'mock'], ['eval'], ['score'], ['transcribe'], ['learn', 'sft-data', '-g', '20q', '--role', 'Questioner']])(
    '%s -r "" is a usage error: the current folder is neither read nor written',
    async (...args) => {
      const before = snapshot(cwd);
      const r = await runCli([...args, '-r', ''], { cwd });
      expect(r.stderr.split('\n')[0]).toBe("error: option '-r, --results-dir <dir>' argument '' is invalid. expected a folder name, got an empty one");
      expect(r.code).not.toBe(0);
      expect(snapshot(cwd)).toEqual(before);
    },
  );
});

describe.skipIf(!cliIsBuilt())('an output that cannot be written', () => {
  it('eval ends with one line naming the file and the cause (exit 1), and leaves what is in the way', async () => {
    rmSync(join(results, 'results.md'));
    mkdirSync(join(results, 'results.md', 'in the way'), { recursive: true });
    const r = await runCli(['eval', '--resamples', '0'], { cwd });
    expect(r.stderr).toMatch(new RegExp(`^clem-ts: cannot write ${join(results, 'results.md')}: [a-z ]+ \\(E[A-Z]+\\); the previous file \\(if any\\) is unchanged\n$`));
    expect(r.code).toBe(1);
    expect(readdirSync(join(results, 'results.md'))).toEqual(['in the way']);
    expect(readdirSync(results).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
