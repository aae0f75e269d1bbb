import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from '../base/errors.js';
import { discoverGames, readClemgame, selectGames, type GameDiscoveryOptions } from '../registry/game-registry.js';
import { GameSpecSchema, type LocatedGameSpec } from '../registry/game-spec.js';
import { parseData } from '../registry/parse.js';
import { packageRoot } from '../registry/package-root.js';
import type { GameModule } from './game.js';
import { checkGameModule, gameCodeKind, loadGame, type LoadedGame } from './game-loader.js';
import { importGameCode } from './import-game-code.js';
import { TemplateSet } from './templates.js';

/**
 * What names a game to play, score or list: a registered game's name, "all", a JSON selector (`{"benchmark":
 * ["v2"]}`), a path to a game folder (holding clemgame.json) or to a game code file (`./my-game.ts`, whose
 * default export carries its `spec`), or a game module defined in code.
 */
export type GameSource = string | GameModule;

export interface ResolveGamesOptions extends GameDiscoveryOptions {
  /** Told once when `all` (or a selector) leaves out clemcore's Python games, which clem-ts cannot play. */
  onWarning?: (message: string) => void;
}

const CODE_EXTENSIONS = new Set(['.ts', '.js', '.mjs']);

/** True when a string selector names a path (a game folder or code file) rather than a registered name. */
export function isGamePath(selector: string): boolean {
  if (selector.trim().startsWith('{')) return false;
  return selector.startsWith('.') || selector.includes('/') || CODE_EXTENSIONS.has(extname(selector));
}

/**
 * The games `sources` name, loaded and ready to play, each once (the first source that names a game wins). A
 * selector that picks several games (`all`, JSON) skips clemcore's Python games with one warning; naming one
 * directly throws ConfigError. Paths are relative to `cwd`; a path-like string that is no file or folder (and no
 * code file name) is looked up as a registered name, so registry errors are reported as such.
 */
export async function resolveGames(sources: readonly GameSource[], opts: ResolveGamesOptions = {}): Promise<LoadedGame[]> {
  const cwd = opts.cwd ?? process.cwd();
  let registered: LocatedGameSpec[] | undefined;
  const discovered = (): LocatedGameSpec[] => (registered ??= discoverGames(opts));
  const loaded: Promise<LoadedGame>[] = [];
  const python: string[] = [];
  for (const source of sources) {
    if (typeof source !== 'string') loaded.push(Promise.resolve(gameFromModule(source)));
    else if (isGamePath(source) && (existsSync(resolve(cwd, source)) || CODE_EXTENSIONS.has(extname(source)))) loaded.push(loadGamePath(resolve(cwd, source)));
    else {
      const specs = selectGames(source, discovered());
      const several = specs.length > 1 || source === 'all';
      for (const spec of specs) {
        if (several && gameCodeKind(spec.game_path) === 'python') python.push(spec.game_name);
        else loaded.push(loadGame(spec));
      }
    }
  }
  if (python.length > 0)
    opts.onWarning?.(`skipped ${python.length} Python game(s) clem-ts cannot play (clemcore's): ${[...new Set(python)].join(', ')}`);
  const seen = new Set<string>();
  return (await Promise.all(loaded)).filter((g) => !seen.has(g.spec.game_name) && Boolean(seen.add(g.spec.game_name)));
}

/** A game folder (clemgame.json beside its code) or a single code file whose default export carries its `spec`. */
export async function loadGamePath(path: string): Promise<LoadedGame> {
  if (!existsSync(path)) throw new ConfigError(`game ${path}: no such file or folder. Name a registered game (clem-ts list games), a game folder or a game's code file.`);
  if (statSync(path).isDirectory()) {
    const specs = readClemgame(path, path);
    if (specs.length !== 1) throw new ConfigError(`${path}/clemgame.json holds ${specs.length} games: register the folder in game_registry.json and name one of them.`);
    return loadGame(specs[0] as LocatedGameSpec);
  }
  const module = checkGameModule((await importGameCode(path)).default, path);
  return gameFromModule(module, { gamePath: dirname(path), source: path });
}

/**
 * A game module defined in code, ready to play: its `spec` (with defaults filled in and checked like a
 * clemgame.json entry), its templates given in code (plus the shared partials) and its instances (given, else
 * `generateInstances(1)`; without either, playing it throws). Throws FileFormatError for a spec that does not
 * validate, ConfigError for a module without `spec`.
 */
export function gameFromModule(module: GameModule, where: { gamePath?: string; source?: string } = {}): LoadedGame {
  const checked = checkGameModule(module, where.source ?? 'game module');
  if (checked.spec === undefined)
    throw new ConfigError(`${where.source ?? 'a game module given in code'}: no \`spec\` ({ game_name, roles, … }): a game outside a folder with clemgame.json names itself there.`);
  const given = checked.spec;
  const origin = where.source ?? `game '${given.game_name}' (defined in code)`;
  const spec = parseData(GameSpecSchema, `${origin}: spec`, {
    players: given.roles.length, main_game: given.game_name, description: given.game_name, languages: ['en'], benchmark: [], ...given,
  });
  const instances = checked.instances ?? checked.generateInstances?.(1) ?? null;
  const templates = TemplateSet.fromSources(checked.templates ?? {}, join(packageRoot(), 'prompts'), origin);
  return {
    spec: { ...spec, game_path: where.gamePath ?? `(defined in code: ${spec.game_name})`, lookup_source: where.source ?? 'code' },
    module: checked,
    templates,
    instances,
  };
}
