import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../base/errors.js';
import type { GameModule } from './game.js';
import { TemplateSet } from './templates.js';
import type { LocatedGameSpec } from '../registry/game-spec.js';
import { InstancesFileSchema, type InstancesFile } from '../registry/instances.js';
import { compiledMirror, isRunningFromSource, packageRoot } from '../registry/package-root.js';
import { formatIssues, parseJsonFile } from '../registry/parse.js';
import { unsafeNameReason } from '../registry/safe-name.js';
import { FileFormatError } from '../base/errors.js';

/** A game ready to play: its spec, code, templates and validated instances. */
export interface LoadedGame {
  spec: LocatedGameSpec;
  module: GameModule;
  templates: TemplateSet;
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

/**
 * Where a game's code is: `master.ts` when running from source (vitest/tsx), else `master.js` beside
 * clemgame.json or, for packaged games, in the compiled mirror under dist/.
 */
export function gameModulePath(gamePath: string): string {
  const candidates: string[] = [];
  if (isRunningFromSource) candidates.push(join(gamePath, 'master.ts'));
  const mirror = compiledMirror(gamePath);
  if (mirror) candidates.push(join(mirror, 'master.js'));
  candidates.push(join(gamePath, 'master.js'), join(gamePath, 'master.mjs'));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new ConfigError(`game folder ${gamePath}: no game code found (looked for ${candidates.join(', ')}). Run \`npm run build\` for packaged games.`);
  return found;
}

export async function loadGame(spec: LocatedGameSpec): Promise<LoadedGame> {
  const file = gameModulePath(spec.game_path);
  const imported = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const checked = GameModuleSchema.safeParse(imported.default);
  if (!checked.success) throw new FileFormatError(file, formatIssues(checked.error, imported.default).map((i) => `default export: ${i}`));
  const module = imported.default as GameModule;
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
  const unsafe = unsafeNameReason(name);
  if (unsafe !== undefined) throw new ConfigError(`instances name ${JSON.stringify(name)} ${unsafe}: name a file in ${join(loaded.spec.game_path, 'in')} without .json`);
  const file = join(loaded.spec.game_path, 'in', `${name}.json`);
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist: game '${loaded.spec.game_name}' has no instances file '${name}'.`);
  const parsed: InstancesFile = parseJsonFile(InstancesFileSchema, file, readFileSync(file, 'utf8'));
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
