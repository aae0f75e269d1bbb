import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UnknownNameError } from '../base/errors.js';
import { closestNames } from './closest.js';
import {
  ClemgameFileSchema,
  GameRegistryFileSchema,
  type GameSpec,
  type LocatedGameSpec,
} from './game-spec.js';
import { packageRoot } from './package-root.js';
import { parseJsonFile } from './parse.js';
import { parseJsonSelector, unify } from './unify.js';

export interface GameDiscoveryOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Skip the packaged registry (tests). */
  includePackaged?: boolean;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'in', 'resources', 'prompts', 'results', 'docs', 'utils', '__pycache__', 'venv']);

/** Reads a clemgame.json (one object or a list) and locates its specs. */
export function readClemgame(folder: string, lookupSource: string): LocatedGameSpec[] {
  const file = join(folder, 'clemgame.json');
  if (!existsSync(file)) throw new UnknownNameError('game folder', folder, [], `${file} does not exist.`);
  const parsed = parseJsonFile(ClemgameFileSchema, file, readFileSync(file, 'utf8'));
  const specs: GameSpec[] = Array.isArray(parsed) ? parsed : [parsed];
  return specs.map((spec) => ({ ...spec, game_path: resolve(folder), lookup_source: lookupSource }));
}

/** Depth-first scan for folders holding clemgame.json (no descent into a game folder), as clemcore does. */
export function scanForGames(root: string, lookupSource: string, maxDepth = 3): LocatedGameSpec[] {
  const found: LocatedGameSpec[] = [];
  const walk = (dir: string, depth: number): void => {
    if (existsSync(join(dir, 'clemgame.json'))) {
      found.push(...readClemgame(dir, lookupSource));
      return;
    }
    if (depth >= maxDepth) return;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const sub = join(dir, name);
      if (statSync(sub).isDirectory()) walk(sub, depth + 1);
    }
  };
  if (existsSync(root)) walk(root, 0);
  return found;
}

/** Specs named by one game_registry.json; paths are relative to the file. */
export function readGameRegistry(file: string): LocatedGameSpec[] {
  const entries = parseJsonFile(GameRegistryFileSchema, file, readFileSync(file, 'utf8'));
  const base = dirname(file);
  return entries.flatMap((entry) =>
    'game_path' in entry ? readClemgame(resolve(base, entry.game_path), file) : scanForGames(resolve(base, entry.benchmark_path), file),
  );
}

/**
 * All games, in lookup order: ./game_registry.json, the packaged game_registry.json, then $CLEM_TS_HOME
 * (its game_registry.json, or a scan of the folder). Earlier sources win for a name.
 */
export function discoverGames(opts: GameDiscoveryOptions = {}): LocatedGameSpec[] {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const sources: (() => LocatedGameSpec[])[] = [];
  const cwdRegistry = join(cwd, 'game_registry.json');
  const packaged = join(packageRoot(), 'game_registry.json');
  if (existsSync(cwdRegistry) && resolve(cwdRegistry) !== resolve(packaged)) sources.push(() => readGameRegistry(cwdRegistry));
  if (opts.includePackaged !== false) sources.push(() => readGameRegistry(packaged));
  const home = env.CLEM_TS_HOME;
  if (home) {
    const homeRegistry = join(home, 'game_registry.json');
    sources.push(() => (existsSync(homeRegistry) ? readGameRegistry(homeRegistry) : scanForGames(home, home)));
  }
  return sources.flatMap((load) => load());
}

/**
 * Games a selector picks: a game name, "all", or a JSON object (single quotes allowed, as in clemcore)
 * unified with each spec; `{"benchmark": [...]}` selects games in any of those versions.
 */
export function selectGames(selector: string, games: readonly LocatedGameSpec[]): LocatedGameSpec[] {
  const unique = firstByName(games);
  if (selector === 'all') return unique;
  const trimmed = selector.trim();
  if (trimmed.startsWith('{')) {
    const parsed = parseJsonSelector(trimmed, 'game');
    if ('error' in parsed) throw new UnknownNameError('game selector', selector, [], parsed.error);
    const query = parsed.value;
    const benchmark = query.benchmark;
    const picked = Array.isArray(benchmark)
      ? unique.filter((g) => g.benchmark.some((b) => benchmark.includes(b)))
      : unique.filter((g) => unify(query, g) !== undefined);
    if (picked.length === 0) throw new UnknownNameError('game selector', selector, [], 'No game matches it.');
    return picked;
  }
  const hit = unique.find((g) => g.game_name === trimmed);
  if (!hit) throw new UnknownNameError('game', selector, closestNames(selector, unique.map((g) => g.game_name)), 'See `clem-ts list games`.');
  return [hit];
}

function firstByName(games: readonly LocatedGameSpec[]): LocatedGameSpec[] {
  const seen = new Set<string>();
  return games.filter((g) => (seen.has(g.game_name) ? false : (seen.add(g.game_name), true)));
}
