import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFormatError, UnknownNameError } from '../base/errors.js';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { discoverGames, readClemgame, readGameRegistry, scanForGames, selectGames } from './game-registry.js';
import type { LocatedGameSpec } from './game-spec.js';
import { packageRoot } from './package-root.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

function spec(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { game_name: name, description: `the ${name} game`, players: 1, roles: ['Solo'], main_game: name, languages: ['en'], benchmark: [], ...extra };
}

/** Writes `<dir>/clemgame.json` with `content` (an object, a list, or raw text) and returns `dir`. */
function gameFolder(dir: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'clemgame.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function names(games: readonly LocatedGameSpec[]): string[] {
  return games.map((g) => g.game_name);
}

describe('readClemgame', () => {
  it('reads one object, fills the default instances name, keeps unknown keys and locates the folder', () => {
    const dir = gameFolder(join(tmp.make(), 'g'), spec('taboo', { clemcore_only: { a: 1 } }));
    const [game, ...rest] = readClemgame(dir, 'src');
    expect(rest).toEqual([]);
    expect(game).toMatchObject({ game_name: 'taboo', instances: 'instances', clemcore_only: { a: 1 }, game_path: dir, lookup_source: 'src' });
  });

  it('reads a list of variants from one folder', () => {
    const dir = gameFolder(join(tmp.make(), 'g'), [spec('wordle'), spec('wordle_withclue', { instances: 'clue' })]);
    const games = readClemgame(dir, 'src');
    expect(names(games)).toEqual(['wordle', 'wordle_withclue']);
    expect(games[1]?.instances).toBe('clue');
    expect(games.every((g) => g.game_path === dir)).toBe(true);
  });

  it('refuses roles that do not match players', () => {
    const dir = gameFolder(join(tmp.make(), 'g'), spec('duo', { players: 2, roles: ['A'] }));
    expect(() => readClemgame(dir, 'src')).toThrow(new FileFormatError(join(dir, 'clemgame.json'), ['roles: expected 2 roles (players = 2), got 1']));
  });

  it('names every bad field of an object at once', () => {
    const dir = gameFolder(join(tmp.make(), 'g'), { description: 'd', players: '2', roles: ['A', 'B'], main_game: 'x', languages: ['en'] });
    const file = join(dir, 'clemgame.json');
    expect(thrownMessage(() => readClemgame(dir, 'src'))).toBe(
      `${file}: game_name: expected string, got nothing\n${file}: players: expected number, got "2"\n${file}: benchmark: expected array, got nothing`,
    );
  });

  it('names the entry of a list that is bad', () => {
    const dir = gameFolder(join(tmp.make(), 'g'), [spec('ok'), spec('', { roles: [] })]);
    const file = join(dir, 'clemgame.json');
    expect(thrownMessage(() => readClemgame(dir, 'src'))).toBe(
      `${file}: [1].game_name: game_name is empty\n` +
        `${file}: [1].roles: Too small: expected array to have >=1 items, got an array\n` +
        `${file}: [1].roles: expected 1 roles (players = 1), got 0`,
    );
  });

  it('refuses a file that is neither an object nor a list, or not JSON', () => {
    const a = gameFolder(join(tmp.make(), 'a'), '"taboo"');
    expect(thrownMessage(() => readClemgame(a, 'src'))).toBe(`${join(a, 'clemgame.json')}: (root): expected a game object or a list of game objects, got "taboo"`);
    const b = gameFolder(join(tmp.make(), 'b'), '{"game_name": "x",}');
    expect(() => readClemgame(b, 'src')).toThrow(new RegExp(`^${join(b, 'clemgame.json')}: not valid JSON: `));
  });

  it('says which folder has no clemgame.json', () => {
    const dir = tmp.make();
    expect(() => readClemgame(dir, 'src')).toThrow(new UnknownNameError('game folder', dir, [], `${join(dir, 'clemgame.json')} does not exist.`));
  });
});

describe('game_registry.json', () => {
  it('resolves game_path and benchmark_path entries relative to the registry file', () => {
    const root = tmp.make();
    gameFolder(join(root, 'mine', 'solo'), spec('solo'));
    gameFolder(join(root, 'bench', 'a'), spec('alpha'));
    gameFolder(join(root, 'bench', 'nested', 'deeper', 'b'), spec('beta'));
    gameFolder(join(root, 'bench', 'a', 'inner'), spec('inside_a_game')); // no descent into a game folder
    gameFolder(join(root, 'bench', 'node_modules', 'c'), spec('skipped'));
    gameFolder(join(root, 'bench', 'one', 'two', 'three', 'd'), spec('too_deep'));
    const file = join(root, 'sub', 'game_registry.json');
    mkdirSync(join(root, 'sub'));
    writeFileSync(file, JSON.stringify([{ game_path: '../mine/solo' }, { benchmark_path: '../bench' }]));
    const games = readGameRegistry(file);
    expect(names(games)).toEqual(['solo', 'alpha', 'beta']);
    expect(games.map((g) => g.game_path)).toEqual([join(root, 'mine', 'solo'), join(root, 'bench', 'a'), join(root, 'bench', 'nested', 'deeper', 'b')]);
    expect(games.every((g) => g.lookup_source === file)).toBe(true);
  });

  it('refuses an entry that is neither kind, and a registry that is not a list', () => {
    const root = tmp.make();
    const file = join(root, 'game_registry.json');
    writeFileSync(file, JSON.stringify([{ game_path: 'x' }, { game_pth: 'y' }]));
    expect(() => readGameRegistry(file)).toThrow(
      new FileFormatError(file, ['[1]: expected {"game_path": "<folder>"} or {"benchmark_path": "<folder>"}, got an object']),
    );
    writeFileSync(file, JSON.stringify({ game_path: 'x' }));
    expect(() => readGameRegistry(file)).toThrow(new FileFormatError(file, ['(root): expected array, got an object']));
  });

  it('scanForGames on a missing folder finds nothing', () => {
    expect(scanForGames(join(tmp.make(), 'absent'), 'src')).toEqual([]);
  });
});

describe('discoverGames', () => {
  it('reads the current directory registry before the packaged one, then CLEM_TS_HOME', () => {
    const cwd = tmp.make();
    gameFolder(join(cwd, 'games', 'hello'), spec('hello', { description: 'my own hello' }));
    gameFolder(join(cwd, 'games', 'local'), spec('local'));
    writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ benchmark_path: 'games' }]));
    const home = tmp.make();
    gameFolder(join(home, 'extra', 'far'), spec('far'));
    gameFolder(join(home, 'extra', 'local2'), spec('local', { description: 'shadowed' }));

    const games = discoverGames({ cwd, env: { CLEM_TS_HOME: home } });
    const sources = games.map((g) => `${g.game_name}@${g.lookup_source}`);
    const packaged = join(packageRoot(), 'game_registry.json');
    expect(sources.slice(0, 2)).toEqual([`hello@${join(cwd, 'game_registry.json')}`, `local@${join(cwd, 'game_registry.json')}`]);
    expect(sources).toContain(`hello@${packaged}`);
    expect(sources.slice(-2)).toEqual([`far@${home}`, `local@${home}`]);
    expect(sources.indexOf(`hello@${packaged}`)).toBeLessThan(sources.indexOf(`far@${home}`));

    // The first source wins for a name.
    expect(selectGames('hello', games)[0]?.description).toBe('my own hello');
    expect(selectGames('local', games)[0]?.game_path).toBe(join(cwd, 'games', 'local'));
  });

  it('uses the game_registry.json of CLEM_TS_HOME when it has one, and can leave the packaged games out', () => {
    const cwd = tmp.make();
    const home = tmp.make();
    gameFolder(join(home, 'listed'), spec('listed'));
    gameFolder(join(home, 'unlisted'), spec('unlisted'));
    writeFileSync(join(home, 'game_registry.json'), JSON.stringify([{ game_path: 'listed' }]));
    expect(names(discoverGames({ cwd, env: { CLEM_TS_HOME: home }, includePackaged: false }))).toEqual(['listed']);
    expect(discoverGames({ cwd, env: {}, includePackaged: false })).toEqual([]);
  });

  it('run from the package folder itself, reads its registry once', () => {
    const games = discoverGames({ cwd: packageRoot(), env: {} });
    expect(games.filter((g) => g.game_name === 'hello')).toHaveLength(1);
  });

  it('finds the packaged hello game from any directory', () => {
    const games = discoverGames({ cwd: tmp.make(), env: {} });
    expect(selectGames('hello', games)[0]).toMatchObject({ game_path: join(packageRoot(), 'games', 'hello'), roles: ['Greeter', 'Guest'] });
  });
});

describe('selectGames', () => {
  const at = (name: string, extra: Record<string, unknown>, source = 'first'): LocatedGameSpec =>
    ({ ...spec(name, extra), instances: 'instances', game_path: `/g/${name}`, lookup_source: source }) as LocatedGameSpec;
  const games = [
    at('wordle', { main_game: 'wordle', benchmark: ['2.0', '3.0'] }),
    at('wordle_withclue', { main_game: 'wordle', benchmark: ['3.0'] }),
    at('taboo', { main_game: 'taboo', benchmark: ['1.6'], languages: ['en', 'de'] }),
    at('taboo', { description: 'shadowed' }, 'second'),
  ];

  it('selects by name, first source winning', () => {
    expect(selectGames('taboo', games).map((g) => g.lookup_source)).toEqual(['first']);
  });

  it('"all" gives every name once, in lookup order', () => {
    expect(names(selectGames('all', games))).toEqual(['wordle', 'wordle_withclue', 'taboo']);
  });

  it('unifies a JSON selector (single quotes allowed) with each spec', () => {
    expect(names(selectGames("{'main_game': 'wordle'}", games))).toEqual(['wordle', 'wordle_withclue']);
    expect(names(selectGames('{"main_game": "taboo", "languages": ["en", "de"]}', games))).toEqual(['taboo']);
  });

  it('{"benchmark": [...]} picks games in any of those versions', () => {
    expect(names(selectGames("{'benchmark': ['2.0', '1.6']}", games))).toEqual(['wordle', 'taboo']);
  });

  it('an unknown name lists the close matches', () => {
    expect(() => selectGames('wordl', games)).toThrow(
      new UnknownNameError('game', 'wordl', ['wordle', 'wordle_withclue'], 'See `clem-ts list games`.'),
    );
    expect(thrownMessage(() => selectGames('wordl', games))).toBe("unknown game 'wordl'. Did you mean: wordle, wordle_withclue? See `clem-ts list games`.");
    expect(thrownMessage(() => selectGames('zzzzzzzzzzzz', games))).toBe("unknown game 'zzzzzzzzzzzz'. See `clem-ts list games`.");
  });

  it('a JSON selector that matches nothing, or is not JSON, says so', () => {
    expect(thrownMessage(() => selectGames("{'main_game': 'chess'}", games))).toBe(`unknown game selector '{'main_game': 'chess'}'. No game matches it.`);
    expect(() => selectGames('{main_game: chess}', games)).toThrow(/^unknown game selector '\{main_game: chess\}'\. It is neither a game name nor valid JSON \(/);
    expect(() => selectGames('{"benchmark": []}', games)).toThrow('No game matches it.');
  });
});
