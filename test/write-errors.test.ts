import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/** What the user sees when the results folder cannot be written or holds a damaged run.json (issue 8). */
const tmp = tempDirs();
afterEach(() => tmp.cleanup());
beforeAll(() => {
  if (!cliIsBuilt()) throw new Error(`${CLI} is missing: run \`npm run build\``);
});

describe('clem-ts run on a results folder it cannot write', () => {
  it('a file where a folder must go: exit 1, one line naming the file and the cause, no stack trace', async () => {
    const cwd = tmp.make();
    mkdirSync(join(cwd, 'results', 'mock'), { recursive: true });
    writeFileSync(join(cwd, 'results', 'mock', 'hello'), 'not a folder');
    const r = await runCli(['run', '-g', 'hello', '-m', 'mock', '-r', 'results'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^clem-ts: cannot write ${join(cwd, 'results', 'mock', 'hello')}/(one_round|two_rounds)/experiment\\.json: a path component is not a folder \\(ENOTDIR\\); the previous file \\(if any\\) is unchanged\n$`),
    );
    expect(readFileSync(join(cwd, 'results', 'mock', 'hello'), 'utf8')).toBe('not a folder');
  });

  it('a file where the <models> folder must go: exit 1, one line', async () => {
    const cwd = tmp.make();
    mkdirSync(join(cwd, 'results'));
    writeFileSync(join(cwd, 'results', 'mock'), 'not a folder');
    const r = await runCli(['run', '-g', 'hello', '-m', 'mock', '-r', 'results'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`clem-ts: cannot read ${join(cwd, 'results', 'mock', 'run.json')}: a path component is not a folder (ENOTDIR)\n`);
    expect(readFileSync(join(cwd, 'results', 'mock'), 'utf8')).toBe('not a folder');
  });

  it('a garbage run.json: exit 2, the file and the field, and what to do', async () => {
    const cwd = tmp.make();
    const file = join(cwd, 'results', 'mock', 'run.json');
    mkdirSync(join(cwd, 'results', 'mock'), { recursive: true });
    writeFileSync(file, '{"format_version": 1, "current": {}, "history": null}');
    const r = await runCli(['run', '-g', 'hello', '-m', 'mock', '-r', 'results'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`clem-ts: ${file}: current.clem_version: expected string, got nothing`);
    expect(r.stderr).toContain(`${file}: history: expected array, got null\n`);
    expect(r.stderr).toContain(`${file}: fix the file, or move it away to start a new run history (episodes are not affected)\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
