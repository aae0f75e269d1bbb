import type { GenerationArgs } from '../backends/backend.js';
import { withGenerationDefaults } from '../backends/index.js';
import { UnknownNameError } from '../base/errors.js';
import { closestNames } from '../registry/closest.js';
import type { JsonValue } from '../registry/json.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { loadInstances, type InstanceRow, type LoadedGame } from './game-loader.js';
import { assignRoles } from './models.js';
import { episodeDir, modelsFolderName } from './results-store/index.js';

/** A role's generation args: temperature and max tokens always set (they are recorded in player_models). */
export type RoleArgs = GenerationArgs & { temperature: number; maxTokens: number };

/** One episode to play: its game, instance, role models and results folder. */
export interface PlannedEpisode {
  loaded: LoadedGame;
  row: InstanceRow;
  /** Per role, shared by every episode of the game: its model and generation args, and meta's player_models. */
  roleModels: ModelSpec[];
  roleArgs: RoleArgs[];
  playerModels: Record<string, JsonValue>;
  modelsFolder: string;
  dir: string;
}

export interface PlanOptions {
  resultsDir: string;
  roleModels?: Record<string, string>;
  experiment?: string;
  instances?: string;
  limit?: number;
  temperature?: number;
  maxTokens?: number;
}

/**
 * Every episode to play, in instances-file order, with its role models and results folder. Refuses a
 * --role-model role or an -e experiment that no selected game has, before anything is written.
 */
export function planEpisodes(loadedGames: readonly LoadedGame[], given: readonly ModelSpec[], registry: readonly ModelSpec[], opts: PlanOptions): PlannedEpisode[] {
  const allRoles = loadedGames.flatMap((g) => g.spec.roles);
  for (const role of Object.keys(opts.roleModels ?? {}))
    if (!allRoles.includes(role)) throw new UnknownNameError('role', role, closestNames(role, allRoles), `The selected games have: ${[...new Set(allRoles)].join(', ')}.`);

  const plan: PlannedEpisode[] = [];
  const experimentNames = new Set<string>();
  for (const loaded of loadedGames) {
    const roleModels = assignRoles(loaded.spec, given, registry, opts.roleModels);
    const roleArgs = roleModels.map((m) => generationArgs(m, opts));
    const shared = { roleModels, roleArgs, playerModels: playerModels(roleModels, roleArgs) };
    const modelsFolder = modelsFolderName(roleModels.map((m) => m.model_name));
    let rows = loadInstances(loaded, opts.instances);
    for (const r of rows) experimentNames.add(r.experimentName);
    if (opts.experiment !== undefined) rows = rows.filter((r) => r.experimentName === opts.experiment);
    if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
    for (const row of rows) {
      plan.push({ loaded, row, ...shared, modelsFolder, dir: episodeDir(opts.resultsDir, modelsFolder, loaded.spec.game_name, row.experimentName, row.gameId) });
    }
  }

  if (opts.experiment !== undefined && !experimentNames.has(opts.experiment)) {
    const known = [...experimentNames];
    throw new UnknownNameError('experiment', opts.experiment, closestNames(opts.experiment, known), `The selected games have: ${known.join(', ')}.`);
  }
  return plan;
}

/** -t/-l over the registry's generation defaults, else temperature 0 and 300 tokens. */
function generationArgs(spec: ModelSpec, opts: PlanOptions): RoleArgs {
  const args = withGenerationDefaults(spec, { temperature: opts.temperature, maxTokens: opts.maxTokens });
  return { ...args, temperature: args.temperature ?? 0, maxTokens: args.maxTokens ?? 300 };
}

function playerModels(models: readonly ModelSpec[], args: readonly RoleArgs[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  models.forEach((m, i) => {
    const { lookup_source: _s, ...spec } = m;
    const { temperature, maxTokens } = args[i] as RoleArgs;
    out[String(i)] = { model_spec: JSON.parse(JSON.stringify(spec)) as JsonValue, gen_args: { temperature, max_tokens: maxTokens } };
  });
  return out;
}

/** The plan grouped by `<models>` folder (one run.json each), in plan order. */
export function byModelsFolder(plan: readonly PlannedEpisode[]): Map<string, PlannedEpisode[]> {
  const folders = new Map<string, PlannedEpisode[]>();
  for (const p of plan) {
    const list = folders.get(p.modelsFolder);
    if (list) list.push(p);
    else folders.set(p.modelsFolder, [p]);
  }
  return folders;
}
