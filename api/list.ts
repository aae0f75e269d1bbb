import { BACKENDS, listBackends as backendStates, type BackendListing } from '../backends/index.js';
import type { GameModule } from '../core/game.js';
import { gameCodeKind, loadGame, type GameCodeKind } from '../core/game-loader.js';
import { gameFromModule } from '../core/game-source.js';
import { collectPrograms } from '../core/programs.js';
import { discoverGames, type GameDiscoveryOptions } from '../registry/game-registry.js';
import type { LocatedGameSpec } from '../registry/game-spec.js';
import { KeyRing, maskKey, type KeySourceOptions } from '../registry/keys.js';
import { loadModelRegistry, type ModelRegistryOptions } from '../registry/model-registry.js';
import type { ModelSpec } from '../registry/model-spec.js';

/** One game as `list games` shows it. */
export interface GameListing {
  spec: LocatedGameSpec;
  /** `typescript`: playable; `python`: a clemcore game (master.py) clem-ts cannot play; `none`: no code found. */
  code: GameCodeKind;
  /** An earlier registry entry has the same name: this one is never played. */
  shadowed: boolean;
}

/** Every registered game in lookup order (./game_registry.json, the packaged one, $CLEM_TS_HOME), with what its code is. */
export function listGames(opts: GameDiscoveryOptions = {}): GameListing[] {
  const seen = new Set<string>();
  return discoverGames(opts).map((spec) => {
    const shadowed = seen.has(spec.game_name);
    seen.add(spec.game_name);
    return { spec, code: gameCodeKind(spec.game_path), shadowed };
  });
}

/** Every model entry in lookup order (./model_registry.json, then the packaged one), each tagged with its source. */
export function listModels(opts: ModelRegistryOptions = {}): ModelSpec[] {
  return loadModelRegistry(opts);
}

/** A program a model entry can run (`"backend": "programmatic", "model_config": {"program": name}`). */
export interface ProgramListing {
  /** What `model_config.program` names: `mock`, `human`, or `<game>/<program>` (`20q/kb-greedy`). */
  name: string;
  description: string;
  /** The game that registers it; null for the built-ins. */
  game: string | null;
}

/**
 * The programs of the built-ins and of every playable registered game (and of `modules`, games defined in code),
 * sorted by name: what a model entry's `model_config.program` may name (a game's program also answers to its bare
 * name when no other game took it). Loads each game's code.
 */
export async function listPrograms(opts: GameDiscoveryOptions & { modules?: readonly GameModule[] } = {}): Promise<ProgramListing[]> {
  const playable = listGames(opts).filter((g) => !g.shadowed && g.code === 'typescript');
  const games = [...(await Promise.all(playable.map((g) => loadGame(g.spec)))), ...(opts.modules ?? []).map((m) => gameFromModule(m))];
  const builtins = [...collectPrograms([])].map(([name, p]) => ({ name, description: p.description, game: null }));
  const ofGames = games.flatMap(({ spec, module }) => [
    ...(module.programs ?? []).map((p) => ({ name: `${spec.game_name}/${p.name}`, description: p.description, game: spec.game_name })),
    ...(module.mock ? [{ name: `${spec.game_name}/mock`, description: module.mock.description, game: spec.game_name }] : []),
  ]);
  return [...builtins, ...ofGames].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Every backend with its state, as `list backends` shows it: active, inactive (a hosted API without its key) or
 * unsupported (clemcore names clem-ts does not run); see backends/listing.ts.
 */
export function listBackends(opts: KeySourceOptions & ModelRegistryOptions = {}): BackendListing[] {
  return backendStates(BACKENDS, loadModelRegistry(opts), KeyRing.load(opts));
}

/** One key clem-ts knows a name for, masked. */
export interface KeyListing {
  name: string;
  /** The key masked (`sk-a...wxyz`), or a placeholder when none is set. */
  masked: string;
  /** Where it was found (environment variable or key.json), undefined when unset. */
  source: string | undefined;
}

/** The keys of key.json and the environment, and the key names backends use, sorted; keys are masked. */
export function listKeys(opts: KeySourceOptions = {}): KeyListing[] {
  const keys = KeyRing.load(opts);
  const names = new Set([...keys.names(), ...Object.values(BACKENDS).flatMap((b) => (b.keyName ? [b.keyName] : []))]);
  return [...names].sort().map((name) => {
    const entry = keys.get(name);
    return { name, masked: maskKey(entry?.api_key), source: entry?.source };
  });
}
