import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import { packageRoot } from '../registry/package-root.js';
import { thrownMessage, rejectionMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { loadGame, loadInstances, type LoadedGame } from './game-loader.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

let hello: LoadedGame;
beforeAll(async () => {
  const [spec] = selectGames('hello', discoverGames({ cwd: packageRoot(), env: {} }));
  if (!spec) throw new Error('the packaged hello game is missing');
  hello = await loadGame(spec);
});

/** The hello game reading its instances from a temp folder's in/<name>.json. */
function helloWith(files: Record<string, unknown>): { game: LoadedGame; dir: string } {
  const dir = tmp.make();
  mkdirSync(join(dir, 'in'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'in', `${name}.json`), JSON.stringify(content));
  return { game: { ...hello, spec: { ...hello.spec, game_path: dir } }, dir };
}

describe('loadInstances', () => {
  it('reads the packaged hello instances: experiment fields beside each instance', () => {
    const rows = loadInstances(hello);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ experimentName: 'one_round', experiment: { name: 'one_round', rounds: 1 }, gameId: 0 });
    expect(rows[0]?.experiment).not.toHaveProperty('game_instances');
    expect(rows[9]).toMatchObject({ experimentName: 'two_rounds', gameId: 4, instance: { game_id: 4, guest: 'Ken' } });
  });

  it('refuses a duplicate game_id within an experiment (not across experiments)', () => {
    const { game, dir } = helloWith({
      dup: {
        experiments: [
          { name: 'a', rounds: 1, game_instances: [{ game_id: 0, guest: 'Ada' }, { game_id: 0, guest: 'Tim' }] },
          { name: 'b', rounds: 1, game_instances: [{ game_id: 0, guest: 'Ada' }] },
        ],
      },
    });
    expect(thrownMessage(() => loadInstances(game, 'dup'))).toBe(`${join(dir, 'in', 'dup.json')}: experiments[0].game_instances[1].game_id: duplicate game_id 0`);
  });

  it('refuses an instances name (-i) that is not a plain file name', () => {
    const { game, dir } = helloWith({});
    expect(thrownMessage(() => loadInstances(game, '../../x'))).toBe(`instances name "../../x" contains a path separator (/ or \\): name a file in ${join(dir, 'in')} without .json`);
  });

  it("reports the game's own experiment and instance fields with their JSON path, all at once", () => {
    const { game, dir } = helloWith({
      bad: {
        experiments: [
          { name: 'ok', rounds: 1, game_instances: [{ game_id: 0, guest: 'Ada' }] },
          { name: 'bad', rounds: 9, game_instances: [{ game_id: 0, guest: 'Ada' }, { game_id: 1 }, { game_id: 2, guest: '' }] },
        ],
      },
    });
    const file = join(dir, 'in', 'bad.json');
    expect(thrownMessage(() => loadInstances(game, 'bad'))).toBe(
      [
        `${file}: experiments[1].rounds: Too big: expected number to be <=5, got number 9`,
        `${file}: experiments[1].game_instances[1].guest: expected string, got nothing`,
        `${file}: experiments[1].game_instances[2].guest: Too small: expected string to have >=1 characters, got ""`,
      ].join('\n'),
    );
  });

  it("refuses the framework's own fields: no experiments, a bad game_id", () => {
    const { game, dir } = helloWith({ none: { experiments: [] }, neg: { experiments: [{ name: 'e', rounds: 1, game_instances: [{ game_id: -1, guest: 'A' }] }] } });
    expect(thrownMessage(() => loadInstances(game, 'none'))).toBe(`${join(dir, 'in', 'none.json')}: experiments: expected at least one experiment, got an array`);
    expect(thrownMessage(() => loadInstances(game, 'neg'))).toBe(
      `${join(dir, 'in', 'neg.json')}: experiments[0].game_instances[0].game_id: Too small: expected number to be >=0, got number -1`,
    );
  });

  it('says which instances file is missing', () => {
    const { game, dir } = helloWith({});
    expect(thrownMessage(() => loadInstances(game, 'nope'))).toBe(`${join(dir, 'in', 'nope.json')} does not exist: game 'hello' has no instances file 'nope'.`);
  });
});

describe('loadGame', () => {
  it('refuses a master whose default export lacks a hook, naming the file and the hook', async () => {
    const dir = tmp.make();
    const master = join(dir, 'master.mjs');
    writeFileSync(master, 'export default { game: { instanceSchema: { safeParse() {} }, setup() {}, prompt() {}, parse() {}, advance() {} } };\n');
    const spec = { ...hello.spec, game_name: 'broken', game_path: dir };
    expect(await rejectionMessage(loadGame(spec))).toBe(`${master}: default export: game.score: expected function, got nothing`);
  });

  it('says where it looked when a game folder has no code', async () => {
    const dir = tmp.make();
    expect(await rejectionMessage(loadGame({ ...hello.spec, game_path: dir }))).toMatch(
      new RegExp(`^game folder ${dir}: no game code found \\(looked for .*master\\.ts, .*master\\.js, .*master\\.mjs\\)`),
    );
  });
});
