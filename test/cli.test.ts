import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../registry/package-root.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { readResults } from './helpers/result-files.js';
import { tempDirs } from './helpers/temp-dir.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` builds here once. tsc exits non-zero while other folders have
  // type errors but still emits dist/, so only the entry point's presence counts.
  if (!cliIsBuilt()) {
    try {
      execFileSync(process.execPath, [join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: packageRoot(), stdio: 'ignore' });
    } catch {
      // Checked below.
    }
  }
  if (!cliIsBuilt()) throw new Error(`${CLI} is missing: run \`npm run build\``);
});

const root = packageRoot();

describe('clem-ts list', () => {
  it('list games shows the packaged hello game and where it came from', async () => {
    const r = await runCli(['list', 'games'], { cwd: tmp.make() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'hello: A greeting game: the Greeter welcomes a named guest, the Guest thanks them. The template for new games.\n' +
        `    roles: Greeter, Guest; from ${join(root, 'game_registry.json')} (${join(root, 'games', 'hello')})\n`,
    );
  });

  it('list games reads ./game_registry.json first and CLEM_TS_HOME last, marking shadowed names', async () => {
    const cwd = tmp.make();
    const home = tmp.make();
    const spec = (name: string, description: string) => ({ game_name: name, description, players: 1, roles: ['Solo'], main_game: name, languages: ['en'], benchmark: [] });
    mkdirSync(join(cwd, 'mine'));
    writeFileSync(join(cwd, 'mine', 'clemgame.json'), JSON.stringify(spec('hello', 'my own hello')));
    writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: 'mine' }]));
    mkdirSync(join(home, 'far'));
    writeFileSync(join(home, 'far', 'clemgame.json'), JSON.stringify(spec('far', 'from home')));
    const r = await runCli(['list', 'games'], { cwd, env: { CLEM_TS_HOME: home } });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => !l.startsWith('    '));
    expect(lines[1]).toBe('hello: my own hello');
    expect(lines).toContain('hello: A greeting game: the Greeter welcomes a named guest, the Guest thanks them. The template for new games. [shadowed by an earlier entry]');
    expect(lines.at(-2)).toBe('far: from home');
    expect(r.stdout).toContain(`    roles: Solo; from ${home} (${join(home, 'far')})\n`);
  });

  it('list models shows the packaged models', async () => {
    const r = await runCli(['list', 'models'], { cwd: tmp.make() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Found \d+ model\(s\):\nmock -> programmatic \(packaged\)\n/);
  });

  it('list backends is active, inactive by key, or unsupported; list keys never prints a key in full', async () => {
    const cwd = tmp.make();
    const without = await runCli(['list', 'backends'], { cwd });
    expect(without.code).toBe(0);
    const inactive = without.stdout.slice(without.stdout.indexOf('[inactive]'));
    expect(inactive).toContain('  openai: OpenAI API — no key: set OPENAI_API_KEY, or "openai": {"api_key": ...} in key.json');
    expect(without.stdout.slice(without.stdout.indexOf('[unsupported]'))).toMatch(/^\[unsupported\]\n {2}slurk: named in clemcore registries — clemcore plays through a slurk chat server/);
    expect(without.stdout.slice(0, without.stdout.indexOf('[inactive]'))).toContain('  programmatic: programs: mock, human, oracles and baselines');

    const key = 'sk-test-0123456789abcdef';
    const withKey = await runCli(['list', 'backends'], { cwd, env: { OPENAI_API_KEY: key } });
    expect(withKey.stdout.slice(0, withKey.stdout.indexOf('[inactive]'))).toContain('  openai: OpenAI API\n');
    writeFileSync(join(cwd, 'key.json'), JSON.stringify({ openrouter: { api_key: 'or-secret-value-9876' } }));
    const keys = await runCli(['list', 'keys'], { cwd, env: { OPENAI_API_KEY: key } });
    expect(keys.stdout).toContain('openai: sk-t...cdef (env:OPENAI_API_KEY)\n');
    expect(keys.stdout).toContain(`openrouter: or-s...9876 (${join(cwd, 'key.json')})\n`);
    expect(keys.stdout + keys.stderr).not.toContain(key);
    expect(keys.stdout + keys.stderr).not.toContain('or-secret-value-9876');
  });

  it('an unknown list is a usage error: the message, exit 2, no stack trace', async () => {
    const r = await runCli(['list', 'gmaes'], { cwd: tmp.make() });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "clem-ts: unknown list 'gmaes': use games, models, programs, backends or keys\n" });
  });
});

describe('clem-ts register', () => {
  it('only models can be registered', async () => {
    const r = await runCli(['register', 'key', '-n', 'openai', '-v', 'api_key=x'], { cwd: tmp.make() });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: "clem-ts: unknown kind 'key': only 'model' can be registered (keys live in key.json or the environment)\n",
    });
  });

  it('writes ./model_registry.json and list models shows the new entry first', async () => {
    const cwd = tmp.make();
    const r = await runCli(['register', 'model', '-n', 'x', '-v', 'backend=openai,model_id=y,model_config.peft_model=./a'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: 'registered x -> openai in ./model_registry.json\n' });
    expect(JSON.parse(readFileSync(join(cwd, 'model_registry.json'), 'utf8'))).toEqual([
      { backend: 'openai', model_id: 'y', model_config: { peft_model: './a' }, model_name: 'x' },
    ]);
    const list = await runCli(['list', 'models'], { cwd });
    expect(list.stdout.split('\n')[1]).toBe(`x -> openai (${join(cwd, 'model_registry.json')})`);
  });

  it('a malformed ./model_registry.json names the file and field, without a stack trace', async () => {
    const cwd = tmp.make();
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'x', max_concurrency: 'many' }]));
    const r = await runCli(['list', 'models'], { cwd });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `clem-ts: ${join(cwd, 'model_registry.json')}: [0].backend: expected string, got nothing\n` +
        `${join(cwd, 'model_registry.json')}: [0].max_concurrency: expected number, got "many"\n`,
    });
  });

  it('a malformed ./game_registry.json names the file and entry', async () => {
    const cwd = tmp.make();
    writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ path: 'games' }]));
    const r = await runCli(['list', 'games'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`clem-ts: ${join(cwd, 'game_registry.json')}: [0]: expected {"game_path": "<folder>"} or {"benchmark_path": "<folder>"}, got an object\n`);
  });
});

describe('clem-ts run', () => {
  it('run -g hello -m mock -c 4 writes the layout; a rerun skips every episode', async () => {
    const cwd = tmp.make();
    const r = await runCli(['run', '-g', 'hello', '-m', 'mock', '-c', '4'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('played 10 episode(s): 10 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(10);
    const results = readResults(join(cwd, 'results'));
    expect(results.size).toBe(1 + 2 + 10 * 6);
    expect([...results.keys()].filter((k) => k.endsWith('completed.json'))).toHaveLength(10);
    expect(results.get('mock/run.json')).toMatchObject({ current: { command: ['run', '-g', 'hello', '-m', 'mock', '-c', '4'], concurrency: 4 } });

    const again = await runCli(['run', '-g', 'hello', '-m', 'mock', 'mock', '-c', '4'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('played 0 episode(s): 0 success, 0 lose, 0 aborted; skipped 10 already done; errored 0. Results in results\n');
    expect(again.stderr).toContain('[10/10] hello/two_rounds/');
    expect(again.stderr).toMatch(/ skipped\n$/);
  });

  it('an unknown game or model exits non-zero with the close matches and no stack trace', async () => {
    const cwd = tmp.make();
    const game = await runCli(['run', '-g', 'helo', '-m', 'mock'], { cwd });
    expect(game).toEqual({ code: 2, stdout: '', stderr: "clem-ts: unknown game 'helo'. Did you mean: hello? See `clem-ts list games`.\n" });
    const model = await runCli(['run', '-g', 'hello', '-m', 'mokc'], { cwd });
    expect(model).toEqual({
      code: 2,
      stdout: '',
      stderr: "clem-ts: unknown model 'mokc'. Did you mean: mock? See `clem-ts list models`, or register it with `clem-ts register model`.\n",
    });
  });

  it('the human player plays an episode from standard input', async () => {
    const cwd = tmp.make();
    const r = await runCli(['run', '-g', 'hello', '-m', 'human', '-e', 'one_round', '--limit', '1'], {
      cwd,
      input: 'GREET: Hello Barbara, come in!\nREPLY: Thank you!\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('played 1 episode(s): 1 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');
    expect(r.stderr).toContain('--- message for Player 1 (Greeter) ---\nYou are the host of a small party. A guest called Barbara has just arrived.');
    expect(r.stderr).toContain('--- message for Player 2 (Guest) ---\nYou are Barbara, arriving at a party. The host said: "Hello Barbara, come in!"');
    const interactions = readResults(join(cwd, 'results')).get('human/hello/one_round/instance_00000/interactions.json');
    expect(interactions).toMatchObject({ Success: 1, players: { 'Player 1': { model_name: 'human' } } });
  });

  it('standard input that ends early errors the episode: exit 1, error.json, and the rerun says to retry', async () => {
    const cwd = tmp.make();
    const r = await runCli(['run', '-g', 'hello', '-m', 'human', '-e', 'one_round', '--limit', '1'], { cwd, input: 'GREET: Hello Barbara\n' });
    expect(r.code).toBe(1);
    const dir = join(cwd, 'results', 'human', 'hello', 'one_round', 'instance_00000');
    expect(r.stdout).toBe(
      'played 0 episode(s): 0 success, 0 lose, 0 aborted; skipped 0 already done; errored 1. Results in results\n' +
        'errored episodes (see error.json in each; rerun with --retry-errors):\n' +
        `  ${dir}: human player: standard input ended before a reply was given\n`,
    );
    expect(readResults(join(cwd, 'results')).get('human/hello/one_round/instance_00000/error.json')).toMatchObject({
      message: 'human player: standard input ended before a reply was given',
    });
    // A rerun without --retry-errors does not count the errored episode as done.
    const rerun = await runCli(['run', '-g', 'hello', '-m', 'human', '-e', 'one_round', '--limit', '1'], { cwd });
    expect(rerun.code).toBe(1);
    expect(rerun.stdout.split('\n')[0]).toBe(
      'played 0 episode(s): 0 success, 0 lose, 0 aborted; skipped 0 already done; errored 1 (1 in an earlier run, not retried: rerun with --retry-errors). Results in results',
    );
    const retried = await runCli(['run', '-g', 'hello', '-m', 'human', '-e', 'one_round', '--limit', '1', '--retry-errors'], {
      cwd,
      input: 'GREET: Hello Barbara\nREPLY: thanks\n',
    });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/^played 1 episode\(s\): 1 success/);
  });
});

describe('clem-ts eval', () => {
  it('draws the histograms of the game that wins a shadowed name, once', async () => {
    const cwd = tmp.make();
    const home = tmp.make();
    const spec = (metric: string) => ({
      game_name: 'hello', description: 'shadowing hello', players: 1, roles: ['Solo'], main_game: 'hello', languages: ['en'], benchmark: [], eval_metrics: [metric],
    });
    mkdirSync(join(cwd, 'mine'));
    writeFileSync(join(cwd, 'mine', 'clemgame.json'), JSON.stringify(spec('Turns')));
    writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: 'mine' }]));
    mkdirSync(join(home, 'far'));
    writeFileSync(join(home, 'far', 'clemgame.json'), JSON.stringify(spec('Other')));
    const episode = join(cwd, 'results', 'm', 'hello', 'exp', 'instance_00000');
    mkdirSync(episode, { recursive: true });
    writeFileSync(join(episode, 'scores.json'), JSON.stringify({ 'episode scores': { Aborted: 0, Lose: 0, Success: 1, 'Main Score': 100, Turns: 3, Other: 1 } }));
    const r = await runCli(['eval', '--resamples', '0'], { cwd, env: { CLEM_TS_HOME: home } });
    expect(r.code).toBe(0);
    const page = readFileSync(join(cwd, 'results', 'results.html'), 'utf8');
    const histograms = page.slice(page.indexOf('id="histograms"'));
    expect(histograms.match(/aria-label="histogram of [^"]*"/g)).toEqual(['aria-label="histogram of Turns, hello: Turns"']);
  });
});
