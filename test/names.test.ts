import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../core/runner.js';
import { KeyRing } from '../registry/keys.js';
import { rejectionMessage } from './helpers/errors.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';
import { TOY_CLEMGAME, TOY_INSTANCES, writeToyGame } from './helpers/toy-game.js';

/**
 * Names become paths (issue 8): a model_name, game_name or experiment name that would leave the results folder
 * is refused where it is parsed, with the file and the field, and nothing is written anywhere.
 */
const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** Every file and folder under `dir`, relative to it. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** A cwd holding the toy game; results go three folders deep so `../../../x` lands inside the temp folder. */
function setup(opts: Parameters<typeof writeToyGame>[1] = {}): { cwd: string; resultsDir: string; before: string[] } {
  const cwd = tmp.make();
  writeToyGame(cwd, opts);
  const resultsDir = join(cwd, 'a', 'b', 'c', 'results');
  mkdirSync(join(cwd, 'a', 'b', 'c'), { recursive: true });
  return { cwd, resultsDir, before: tree(cwd) };
}

const PROGRAMMATIC = { backend: 'programmatic', model_config: { program: 'toy/mock' } };

describe('names that would leave the results folder are refused before anything is written', () => {
  it('a model_name in a -m JSON spec', async () => {
    const { cwd, resultsDir, before } = setup();
    const spec = JSON.stringify({ model_name: '../../../x', ...PROGRAMMATIC });
    const message = await rejectionMessage(run({ games: ['toy'], models: [spec], resultsDir, cwd, env: {}, keys: KeyRing.empty() }));
    expect(message).toBe(
      `-m ${spec}: model_name: model_name "../../../x" contains a path separator (/ or \\); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`,
    );
    expect(tree(cwd)).toEqual(before);
  });

  it('a model_name in ./model_registry.json', async () => {
    const { cwd, resultsDir, before } = setup();
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: '..', ...PROGRAMMATIC }]));
    const message = await rejectionMessage(run({ games: ['toy'], models: ['..'], resultsDir, cwd, env: {}, keys: KeyRing.empty() }));
    expect(message).toBe(`${join(cwd, 'model_registry.json')}: [0].model_name: model_name ".." starts with '.' (no '.', '..' or hidden names); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`);
    expect(tree(cwd)).toEqual([...before, 'model_registry.json'].sort());
  });

  it("a game_name in a game's clemgame.json", async () => {
    const { cwd, resultsDir, before } = setup({ clemgame: { ...TOY_CLEMGAME, game_name: '../../escape' } });
    const message = await rejectionMessage(run({ games: ['../../escape'], models: ['mock'], resultsDir, cwd, env: {}, keys: KeyRing.empty() }));
    expect(message).toBe(`${join(cwd, 'toy', 'clemgame.json')}: game_name: game_name "../../escape" contains a path separator (/ or \\); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`);
    expect(tree(cwd)).toEqual(before);
  });

  it('an experiment name in an instances file', async () => {
    const instances = { experiments: [{ name: '../../../../exp', game_instances: [{ game_id: 0, ending: 'win' }] }] };
    const { cwd, resultsDir, before } = setup({ instances });
    const message = await rejectionMessage(run({ games: ['toy'], models: ['mock'], resultsDir, cwd, env: {}, keys: KeyRing.empty() }));
    expect(message).toBe(`${join(cwd, 'toy', 'in', 'instances.json')}: experiments[0].name: experiment name "../../../../exp" contains a path separator (/ or \\); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`);
    expect(tree(cwd)).toEqual(before);
  });

  it('two experiments with one name (they would share a folder and overwrite each other)', async () => {
    const instances = { experiments: [...TOY_INSTANCES.experiments, { name: 'basic', game_instances: [{ game_id: 0, ending: 'lose' }] }] };
    const { cwd, resultsDir, before } = setup({ instances });
    const message = await rejectionMessage(run({ games: ['toy'], models: ['mock'], resultsDir, cwd, env: {}, keys: KeyRing.empty() }));
    expect(message).toBe(`${join(cwd, 'toy', 'in', 'instances.json')}: experiments[2].name: duplicate experiment name "basic" (also experiments[0]); each experiment names its own folder`);
    expect(tree(cwd)).toEqual(before);
  });

  it.skipIf(!cliIsBuilt())(`register model refuses the name and leaves model_registry.json alone (${CLI})`, async () => {
    const cwd = tmp.make();
    const r = await runCli(['register', 'model', '-n', '../../../x', '-v', 'backend=programmatic,model_config.program=mock'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `clem-ts: ${join(cwd, 'model_registry.json')} (entry ../../../x): model_name: model_name "../../../x" contains a path separator (/ or \\); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name\n`,
    );
    expect(existsSync(join(cwd, 'model_registry.json'))).toBe(false);
  });

  it.skipIf(!cliIsBuilt())('run -m with a traversing JSON spec writes nothing outside -r (nor inside)', async () => {
    const cwd = tmp.make();
    mkdirSync(join(cwd, 'a', 'b', 'c'), { recursive: true });
    const spec = JSON.stringify({ model_name: '../../../x', backend: 'programmatic', model_config: { program: 'mock' } });
    const r = await runCli(['run', '-g', 'hello', '-m', spec, '-r', 'a/b/c/results'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clem-ts: -m .*: model_name: model_name "\.\.\/\.\.\/\.\.\/x" contains a path separator/);
    expect(tree(cwd)).toEqual(['a', 'a/b', 'a/b/c']);
  });
});

describe('a symbolic link inside the results folder that leads outside it', () => {
  it('is refused: the run writes nothing through it and clears nothing there', async () => {
    const { cwd, resultsDir } = setup();
    const opts = { games: ['toy'], models: ['mock'], resultsDir, cwd, env: {}, keys: KeyRing.empty(), limit: 1 };
    const first = await run(opts);
    const episode = first.episodes[0]?.dir as string;
    // The episode folder is replaced by a link to a folder of the user's that holds a file of its own.
    const outside = join(cwd, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'precious.txt'), 'keep me');
    rmSync(episode, { recursive: true });
    symlinkSync(outside, episode);
    const message = await rejectionMessage(run(opts));
    expect(message).toBe(
      `refusing to write ${episode}: a symbolic link on the way leads to ${outside}, outside the results folder ${resultsDir}; remove the link, or pass the folder it leads to as -r`,
    );
    expect(readdirSync(outside)).toEqual(['precious.txt']);
  });
});
