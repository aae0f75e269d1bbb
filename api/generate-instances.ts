import { join } from 'node:path';
import { writeJsonAtomic } from '../base/atomic.js';
import { ConfigError } from '../base/errors.js';
import { resolveGames, type GameSource, type ResolveGamesOptions } from '../core/game-source.js';
import { InstancesFileSchema, type InstancesFile } from '../registry/instances.js';
import { parseData } from '../registry/parse.js';
import { unsafeNameReason } from '../registry/safe-name.js';

export interface GenerateInstancesOptions extends ResolveGamesOptions {
  /** The games: names, "all", selectors, paths, or modules defined in code. */
  games: readonly GameSource[];
  /** Generator seed (default 1). */
  seed?: number;
  /** File name in the game's in/ folder, without .json (default "instances"). */
  instances?: string;
  /** Write the files (default true); with false, only return the instances. */
  write?: boolean;
}

export interface GeneratedInstances {
  game: string;
  instances: InstancesFile;
  /** The file written, or null (not asked to, or a game defined in code: it has no folder). */
  file: string | null;
}

/**
 * What `clem-ts generate` does: each game's instances from its seeded generator, checked against the instances
 * schema, written atomically to `<game>/in/<instances>.json` (games with a folder). Throws ConfigError for a game
 * without a generator or an unsafe file name.
 */
export async function generateInstances(opts: GenerateInstancesOptions): Promise<GeneratedInstances[]> {
  const name = opts.instances ?? 'instances';
  const unsafe = unsafeNameReason(name);
  if (unsafe !== undefined) throw new ConfigError(`instances name ${JSON.stringify(name)} ${unsafe}: give a file name without .json`);
  const out: GeneratedInstances[] = [];
  for (const { spec, module, instances: inCode } of await resolveGames(opts.games, opts)) {
    if (!module.generateInstances) throw new ConfigError(`game '${spec.game_name}' has no instance generator (generateInstances in its master)`);
    const where = `${spec.game_name}: generateInstances(${opts.seed ?? 1})`;
    const instances = parseData(InstancesFileSchema, where, module.generateInstances(opts.seed ?? 1));
    const file = opts.write === false || inCode !== undefined ? null : join(spec.game_path, 'in', `${name}.json`);
    if (file !== null) writeJsonAtomic(file, instances);
    out.push({ game: spec.game_name, instances, file });
  }
  return out;
}
