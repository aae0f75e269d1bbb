import { join, resolve, sep } from 'node:path';
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
  /**
   * Write each game's file into this folder as `<game>/in/<instances>.json` instead of the game's own folder. Needed
   * for games installed with a package (inside node_modules), whose folders clem-ts never writes.
   */
  outDir?: string;
}

/** True for a folder inside an installed package: it belongs to npm, not to the user. */
export function isInstalledFolder(folder: string): boolean {
  return `${resolve(folder)}${sep}`.includes(`${sep}node_modules${sep}`);
}

export interface GeneratedInstances {
  game: string;
  instances: InstancesFile;
  /** The file written, or null (not asked to, or a game defined in code: it has no folder). */
  file: string | null;
}

/**
 * What `clem-ts generate` does: each game's instances from its seeded generator, checked against the instances
 * schema, written atomically to `<game>/in/<instances>.json` (games with a folder), or under `outDir`. Throws
 * ConfigError for a game without a generator, an unsafe file name, or a game installed inside node_modules with no
 * `outDir` (its folder is npm's, and a reinstall would lose the file).
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
    const folder = opts.outDir !== undefined ? join(opts.outDir, spec.game_name) : spec.game_path;
    const file = opts.write === false || inCode !== undefined ? null : join(folder, 'in', `${name}.json`);
    if (file !== null && opts.outDir === undefined && isInstalledFolder(spec.game_path)) {
      throw new ConfigError(`game '${spec.game_name}' is installed inside node_modules (${spec.game_path}): clem-ts does not write there. Give an output folder (generate -o DIR writes DIR/${spec.game_name}/in/${name}.json), or copy the game folder into your project and register it`);
    }
    if (file !== null) writeJsonAtomic(file, instances);
    out.push({ game: spec.game_name, instances, file });
  }
  return out;
}
