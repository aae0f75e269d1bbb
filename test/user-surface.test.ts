import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../registry/package-root.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/** The small things a user meets first: listings, --help, the README's values, what a script says to do next. */
const tmp = tempDirs();
afterEach(() => tmp.cleanup());
const root = packageRoot();

/** A folder with ./game_registry.json listing a clemcore (Python) game and a clem-ts game made by `new game`. */
async function withPythonGame(): Promise<string> {
  const cwd = tmp.make();
  mkdirSync(join(cwd, 'taboo'));
  writeFileSync(join(cwd, 'taboo', 'master.py'), 'class Taboo:\n    pass\n');
  writeFileSync(join(cwd, 'taboo', 'clemgame.json'), JSON.stringify({ game_name: 'taboo', description: "clemcore's taboo", players: 2, roles: ['Describer', 'Guesser'], main_game: 'taboo', languages: ['en'], benchmark: ['2.0'] }));
  writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: 'taboo' }]));
  return cwd;
}

describe.runIf(cliIsBuilt())('what a user meets', () => {
  it("lists clemcore's Python games as not playable; -g all skips them in one line; naming one says why", async () => {
    const cwd = await withPythonGame();
    const list = await runCli(['list', 'games'], { cwd });
    expect(list.stdout).toContain("taboo: clemcore's taboo [Python game (not playable by clem-ts)]\n");
    expect(list.stdout).toContain('hello: A greeting game');
    expect(list.stdout).not.toMatch(/hello:.*not playable/);

    const all = await runCli(['run', '-g', 'all', '-m', 'mock', '--limit', '1'], { cwd });
    expect(all.code).toBe(0);
    expect(all.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual(["warning: skipped 1 Python game(s) clem-ts cannot play (clemcore's): taboo"]);
    expect(all.stdout).toMatch(/^played 2 episode\(s\)/);

    const one = await runCli(['run', '-g', 'taboo', '-m', 'mock'], { cwd });
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(`clem-ts: game folder ${join(cwd, 'taboo')} holds a Python game (master.py, clemcore): clem-ts cannot play it. Play it with clemcore, or port its master to TypeScript (clem-ts new game).\n`);
  });

  it('no --help shows an empty default, run --help names game paths', async () => {
    for (const verb of [['run'], ['learn', 'rewards'], ['learn', 'dpo-data']]) {
      const r = await runCli([...verb, '--help'], { cwd: tmp.make() });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('(default: {})');
      expect(r.stdout).not.toContain('(default: [])');
    }
    expect((await runCli(['run', '--help'], { cwd: tmp.make() })).stdout.replace(/\s+/g, ' ')).toContain("paths to a game folder or a game's .ts/.js file");
  });

  it("the README's --sort values are eval --help's", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const inReadme = /--sort ([\w\\|]+)\]/.exec(readme)?.[1]?.split('\\|');
    const help = (await runCli(['eval', '--help'], { cwd: tmp.make() })).stdout.replace(/\s+/g, ' ');
    const inHelp = /--sort <by>.*?\(choices: (.*?), default:/.exec(help)?.[1]?.split(', ').map((c) => c.replaceAll('"', ''));
    expect(inReadme).toEqual(['model', 'clemscore']);
    expect(inHelp).toEqual(inReadme);
  });

  it('register model keeps the file as it was and takes JSON values with commas', async () => {
    const cwd = tmp.make();
    const text = '[\n    { "model_name": "a", "backend": "openai", "model_id": "x" },\n    { "backend": "openai", "model_name": "b" }\n]\n';
    writeFileSync(join(cwd, 'model_registry.json'), text);
    const r = await runCli(['register', 'model', '-n', 'b', '-v', 'model_config.stop=["a,b","c"],model_id=y'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(join(cwd, 'model_registry.json'), 'utf8');
    expect(after.startsWith('[\n    { "model_name": "a", "backend": "openai", "model_id": "x" },\n')).toBe(true);
    expect(JSON.parse(after)[1]).toEqual({ backend: 'openai', model_name: 'b', model_config: { stop: ['a,b', 'c'] }, model_id: 'y' });
    expect(Object.keys(JSON.parse(after)[1])).toEqual(['backend', 'model_name', 'model_config', 'model_id']);
  });

  it('make:tiny-model says how to play with the model it wrote, and that works', async () => {
    const cwd = tmp.make();
    const out = join(cwd, 'tiny');
    const made = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'make-tiny-model.js'), '--out', out], { cwd, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const lines = made.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^wrote tiny Llama \\(\\d+\\.\\d+M parameters\\) to ${out} in \\d+\\.\\d s$`));
    const commands = lines.filter((l) => l.startsWith('  npx clem-ts ')).map((l) => l.trim());
    expect(commands).toEqual([`npx clem-ts register model -n tiny-tiny -v "backend=transformers,huggingface_id=${out}"`, 'npx clem-ts run -g hello -m tiny-tiny --limit 2 -l 16']);
    // The commands as printed (npx clem-ts is this package's CLI).
    const register = await runCli(['register', 'model', '-n', 'tiny-tiny', '-v', `backend=transformers,huggingface_id=${out}`], { cwd });
    expect(register.code, register.stderr).toBe(0);
    const played = await runCli(['run', '-g', 'hello', '-m', 'tiny-tiny', '--limit', '2', '-l', '16'], { cwd });
    expect(played.code, played.stderr).toBe(0);
    expect(played.stdout).toMatch(/^played 2 episode\(s\)/);
  });
});

describe.runIf(cliIsBuilt())('clem-ts new game', () => {
  it('writes a game that plays with -m mock at once and passes the shared game suite', async () => {
    const cwd = tmp.make();
    const r = await runCli(['new', 'game', 'guess'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`wrote 8 files in ${join(cwd, 'guess')} and listed it in ${join(cwd, 'game_registry.json')}`);
    expect(JSON.parse(readFileSync(join(cwd, 'game_registry.json'), 'utf8'))).toEqual([{ game_path: 'guess' }]);
    const played = await runCli(['run', '-g', 'guess', '-m', 'mock'], { cwd });
    expect(played.stdout).toBe('played 10 episode(s): 10 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');

    // The same folder through the library from source: the suite every game must pass.
    const { checkGame } = await import('../testing/check-game.js');
    const report = await checkGame(join(cwd, 'guess'), { cwd, env: {} });
    expect(report.checks.map((c) => `${c.name}: ${c.passed}`)).toEqual(['instances: true', 'generator: true', 'plays: true', 'scores: true', 'replays: true']);

    const again = await runCli(['new', 'game', 'guess'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`clem-ts: ${join(cwd, 'guess')} exists and is not empty: choose another name, or remove the folder.\n`);
    const bad = await runCli(['new', 'game', '../up'], { cwd });
    expect(bad.stderr).toMatch(/^clem-ts: game name "..\/up" contains a path separator/);
  });
});
