import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../base/errors.js';
import type { GameModule } from './game.js';
import { importGameCode } from './import-game-code.js';
import { TemplateSet } from './templates.js';
import type { LocatedGameSpec } from '../registry/game-spec.js';
import { InstancesFileSchema, type InstancesFile } from '../registry/instances.js';
import { compiledMirror, isRunningFromSource, packageRoot } from '../registry/package-root.js';
import { formatIssues, parseData, parseJsonFile } from '../registry/parse.js';
import { unsafeNameReason } from '../registry/safe-name.js';
import { FileFormatError } from '../base/errors.js';

/** A game ready to play: its spec, code, templates and validated instances. */
export interface LoadedGame {
  spec: LocatedGameSpec;
  module: GameModule;
  templates: TemplateSet;
  /** Set for a game defined in code: its instances (null: it gave none), instead of the folder's in/. */
  instances?: InstancesFile | null;
}

const GameModuleSchema = z.looseObject({
  game: z.looseObject({
    instanceSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType || (typeof v === 'object' && v !== null && 'safeParse' in v)),
    setup: z.function(),
    prompt: z.function(),
    parse: z.function(),
    advance: z.function(),
    score: z.function(),
  }),
});

/** What a game folder holds: clem-ts code, a clemcore (Python) game, or nothing playable. */
export type GameCodeKind = 'typescript' | 'python' | 'none';

/**
 * Where a game's code is, in the order tried: `master.ts` when clem-ts runs from source (vitest/tsx), the compiled
 * mirror under dist/ for packaged games, then `master.js`, `master.mjs` and `master.ts` beside clemgame.json (a
 * `.ts` master is loaded without a build step). Undefined when there is none.
 */
export function findGameCode(gamePath: string): string | undefined {
  return gameCodeCandidates(gamePath).find((c) => existsSync(c));
}

function gameCodeCandidates(gamePath: string): string[] {
  const candidates: string[] = [];
  if (isRunningFromSource) candidates.push(join(gamePath, 'master.ts'));
  const mirror = compiledMirror(gamePath);
  if (mirror) candidates.push(join(mirror, 'master.js'));
  candidates.push(join(gamePath, 'master.js'), join(gamePath, 'master.mjs'), join(gamePath, 'master.ts'));
  return [...new Set(candidates)];
}

/** A clemcore game (master.py, no clem-ts code) is listed but cannot be played here. */
export function gameCodeKind(gamePath: string): GameCodeKind {
  if (findGameCode(gamePath) !== undefined) return 'typescript';
  return existsSync(join(gamePath, 'master.py')) ? 'python' : 'none';
}

/** The file a game folder's code is loaded from; throws ConfigError naming what is there instead. */
export function gameModulePath(gamePath: string): string {
  const found = findGameCode(gamePath);
  if (found) return found;
  if (gameCodeKind(gamePath) === 'python')
    throw new ConfigError(`game folder ${gamePath} holds a Python game (master.py, clemcore): clem-ts cannot play it. Play it with clemcore, or port its master to TypeScript (clem-ts new game).`);
  const packaged = compiledMirror(gamePath) !== undefined ? ' Run `npm run build` for packaged games.' : '';
  throw new ConfigError(`game folder ${gamePath}: no game code found (looked for ${gameCodeCandidates(gamePath).join(', ')}).${packaged}`);
}

/** Checks that `imported` (a code file's default export, or an object given in code) is a game module. */
export function checkGameModule(imported: unknown, where: string): GameModule {
  const checked = GameModuleSchema.safeParse(imported);
  if (!checked.success) throw new FileFormatError(where, formatIssues(checked.error, imported).map((i) => `default export: ${i}`));
  return imported as GameModule;
}

/** Loads a registered game folder: its code (no build step for master.ts), its templates and the shared partials. */
export async function loadGame(spec: LocatedGameSpec): Promise<LoadedGame> {
  const file = gameModulePath(spec.game_path);
  const module = checkGameModule((await importGameCode(file)).default, file);
  const templates = TemplateSet.fromFolder(join(spec.game_path, 'prompts'), join(packageRoot(), 'prompts'));
  return { spec, module, templates };
}

/** One instance to play, validated by the framework's and the game's schemas. */
export interface InstanceRow {
  experimentName: string;
  experiment: Record<string, unknown>;
  gameId: number;
  instance: Record<string, unknown>;
}

/**
 * Reads `<game>/in/<name>.json` and validates every experiment and instance with the game's own schemas;
 * every problem is reported with the file and the JSON path (`experiments[0].game_instances[3].target`).
 */
export function loadInstances(loaded: LoadedGame, name = loaded.spec.instances): InstanceRow[] {
  if (loaded.instances !== undefined) return codeInstances(loaded, name);
  const unsafe = unsafeNameReason(name);
  if (unsafe !== undefined) throw new ConfigError(`instances name ${JSON.stringify(name)} ${unsafe}: name a file in ${join(loaded.spec.game_path, 'in')} without .json`);
  const file = join(loaded.spec.game_path, 'in', `${name}.json`);
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist: game '${loaded.spec.game_name}' has no instances file '${name}'.`);
  return validateInstances(loaded, file, parseJsonFile(InstancesFileSchema, file, readFileSync(file, 'utf8')));
}

function codeInstances(loaded: LoadedGame, name: string): InstanceRow[] {
  const where = `game '${loaded.spec.game_name}' (defined in code): instances`;
  if (!loaded.instances) throw new ConfigError(`${where}: none given: add \`instances\` or \`generateInstances\` to the game module.`);
  if (name !== loaded.spec.instances)
    throw new ConfigError(`${where}: a game defined in code has one set of instances ('${loaded.spec.instances}'), not '${name}'; leave the instances name out.`);
  return validateInstances(loaded, where, parseData(InstancesFileSchema, where, loaded.instances));
}

/** Every experiment and instance checked by the game's own schemas; all problems at once, each with its JSON path. */
function validateInstances(loaded: LoadedGame, file: string, parsed: InstancesFile): InstanceRow[] {
  const game = loaded.module.game;
  const issues: string[] = [];
  const rows: InstanceRow[] = [];
  parsed.experiments.forEach((exp, e) => {
    const { game_instances, ...experiment } = exp;
    if (game.experimentSchema) {
      const r = game.experimentSchema.safeParse(experiment);
      if (!r.success) issues.push(...formatIssues(r.error, experiment).map((i) => `experiments[${e}].${i}`));
    }
    game_instances.forEach((inst, i) => {
      const r = game.instanceSchema.safeParse(inst);
      if (!r.success) issues.push(...formatIssues(r.error, inst).map((msg) => `experiments[${e}].game_instances[${i}].${msg}`));
      rows.push({ experimentName: exp.name, experiment, gameId: inst.game_id, instance: inst });
    });
  });
  if (issues.length > 0) throw new FileFormatError(file, issues);
  return rows;
}
