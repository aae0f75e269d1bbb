import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Backend, GenerationArgs } from '../backends/backend.js';
import { createModel, withGenerationDefaults } from '../backends/index.js';
import type { ComposeOptions } from '../backends/wrappers/index.js';
import { Player } from '../players/player.js';
import { closestNames } from '../registry/closest.js';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import type { JsonValue } from '../registry/json.js';
import { KeyRing } from '../registry/keys.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { loadModelRegistry, resolveModel } from '../registry/model-registry.js';
import { writeFileAtomicAsync, writeJsonAtomicAsync } from '../base/atomic.js';
import { stringifyScores } from '../registry/scores.js';
import { describeError, hasCode, UnknownNameError } from '../base/errors.js';
import { loadGame, loadInstances, type InstanceRow, type LoadedGame } from './game-loader.js';
import { playEpisode, type Outcome } from './game-master.js';
import { assignRoles } from './models.js';
import { collectPrograms } from './programs.js';
import { silentProgress, type ProgressReporter } from './progress.js';
import { clearEpisodeDir, episodeDir, episodeStatus, modelsFolderName, removeStaleTempFiles } from './results-store/index.js';
import { hashSeed } from '../base/rng.js';
import { scoreEpisode } from './scoring.js';
import { clemVersion } from './version.js';

export interface RunOptions {
  games: string[];
  models: string[];
  /** Models for roles that -m leaves open, by role name (--role-model Answerer=gpt-4o-mini); before the game's defaults. */
  roleModels?: Record<string, string>;
  experiment?: string;
  /** Instances file name in the game's in/ folder, without .json. */
  instances?: string;
  temperature?: number;
  maxTokens?: number;
  resultsDir: string;
  /** Episodes in flight at once (each model's max_concurrency applies too). */
  concurrency?: number;
  /** At most this many instances per game. */
  limit?: number;
  seed?: number;
  retryErrors?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  keys?: KeyRing;
  progress?: ProgressReporter;
  clock?: () => Date;
  signal?: AbortSignal;
  /** The command line, for run.json. */
  command?: string[];
  /** Wrapper options for model backends (tests turn retries off). */
  backend?: ComposeOptions;
  /** Called with warnings the user should see (e.g. settings that differ from the run being resumed). */
  onWarning?: (message: string) => void;
}

export interface EpisodeSummary {
  game: string;
  experiment: string;
  gameId: number;
  dir: string;
  status: Outcome | 'errored' | 'skipped' | 'skipped-errored';
  error?: string;
}

export interface RunSummary {
  episodes: EpisodeSummary[];
  played: number;
  skipped: number;
  errored: number;
}

interface PlannedEpisode {
  loaded: LoadedGame;
  row: InstanceRow;
  /** Per role, shared by every episode of the game: its model and generation args, and meta's player_models. */
  roleModels: ModelSpec[];
  roleArgs: RoleArgs[];
  playerModels: Record<string, JsonValue>;
  modelsFolder: string;
  dir: string;
}

/**
 * Plays every selected instance of every selected game. Completed episodes (completed.json) are skipped,
 * errored ones are retried only with `retryErrors`; one failing episode never stops the others. Every file is
 * written atomically, completed.json last, so a run killed at any moment resumes cleanly.
 */
export async function run(opts: RunOptions): Promise<RunSummary> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? (() => new Date());
  const progress = opts.progress ?? silentProgress;
  const seed = opts.seed ?? 0;
  const version = clemVersion();

  const allGames = discoverGames({ cwd, env });
  const specs = [...new Map(opts.games.flatMap((sel) => selectGames(sel, allGames)).map((g) => [g.game_name, g])).values()];
  const registry = loadModelRegistry({ cwd });
  const given = opts.models.map((m) => resolveModel(m, registry));
  const loadedGames = await Promise.all(specs.map((spec) => loadGame(spec)));
  const programs = collectPrograms(loadedGames);

  const plan = planEpisodes(loadedGames, given, registry, opts);

  const keys = opts.keys ?? KeyRing.load({ cwd, env });
  // modelFor: a program's fallback model (kb-oracle+gpt-4o-mini) is the run's shared backend for that model
  const deps = { keys, cacheDir: env.CLEM_TS_CACHE ?? join(homedir(), '.cache', 'clem-ts'), modelsDir: cwd, programs, modelFor: (spec: ModelSpec) => backendFor(spec) };
  const backends = new Map<string, Promise<Backend>>();
  const backendFor = (spec: ModelSpec): Promise<Backend> => {
    let b = backends.get(spec.model_name);
    if (!b) {
      b = createModel(spec, deps, opts.backend);
      b.catch(() => backends.delete(spec.model_name));
      backends.set(spec.model_name, b);
    }
    return b;
  };
  const closeBackends = (): Promise<unknown> => Promise.all([...backends.values()].map(async (b) => (await b.catch(() => undefined))?.close()));

  // Fail fast on a model that cannot be created (no key, unknown backend or program, missing weights),
  // before anything is written: otherwise every episode would record the same error.json.
  const distinctModels = [...new Map(plan.flatMap((p) => p.roleModels).map((m) => [m.model_name, m])).values()];
  try {
    await Promise.all(distinctModels.map((m) => backendFor(m)));
  } catch (e) {
    await closeBackends();
    throw e;
  }
  const runFolders = readRunFolders(opts.resultsDir, plan);
  warnOnChangedSettings(opts, runFolders);

  // A run killed while writing run.json or experiment.json leaves temporary files one or two levels up.
  for (const dir of new Set(plan.flatMap((p) => [p.modelsFolder, join(p.modelsFolder, p.loaded.spec.game_name), join(p.modelsFolder, p.loaded.spec.game_name, p.row.experimentName)])))
    removeStaleTempFiles(join(opts.resultsDir, dir));
  const startedAt = clock().toISOString();
  const writeRunFiles = (endedAt: string | null): Promise<unknown> =>
    Promise.all(runFolders.map((f) => writeRunJson(opts, f, { version, seed, startedAt, endedAt })));
  await writeRunFiles(null);
  await writeExperimentFiles(opts.resultsDir, plan, clock);

  const limit = pLimit(Math.max(1, opts.concurrency ?? 1));
  progress.start(plan.length);
  const episodes: EpisodeSummary[] = [];
  try {
    await Promise.all(
      plan.map((p) =>
        limit(async () => {
          const summary = await runEpisode(p, { opts, backendFor, clock, seed, version });
          episodes.push(summary);
          progress.episode({
            label: `${p.loaded.spec.game_name}/${p.row.experimentName}/${p.row.gameId}`,
            status: summary.status === 'skipped-errored' ? 'skipped' : summary.status,
            ...(summary.error !== undefined ? { message: summary.error } : {}),
          });
        }),
      ),
    );
  } finally {
    progress.finish();
    await closeBackends();
  }
  await writeRunFiles(clock().toISOString());
  episodes.sort((a, b) => a.dir.localeCompare(b.dir));
  return {
    episodes,
    played: episodes.filter((e) => e.status === 'success' || e.status === 'lose' || e.status === 'aborted').length,
    skipped: episodes.filter((e) => e.status === 'skipped' || e.status === 'skipped-errored').length,
    errored: episodes.filter((e) => e.status === 'errored' || e.status === 'skipped-errored').length,
  };
}

/**
 * Every episode to play, in instances-file order, with its role models and results folder. Refuses a
 * --role-model role or an -e experiment that no selected game has, before anything is written.
 */
function planEpisodes(
  loadedGames: readonly LoadedGame[],
  given: readonly ModelSpec[],
  registry: readonly ModelSpec[],
  opts: RunOptions,
): PlannedEpisode[] {
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

/** The episode folder exists once instance.json is written: later writes skip the mkdir. */
const IN_EPISODE_DIR = { folderExists: true } as const;

interface EpisodeDeps {
  opts: RunOptions;
  backendFor: (spec: ModelSpec) => Promise<Backend>;
  clock: () => Date;
  seed: number;
  version: string;
}

async function runEpisode(p: PlannedEpisode, d: EpisodeDeps): Promise<EpisodeSummary> {
  const { spec } = p.loaded;
  const base = { game: spec.game_name, experiment: p.row.experimentName, gameId: p.row.gameId, dir: p.dir };
  const status = episodeStatus(p.dir);
  if (status === 'completed') return { ...base, status: 'skipped' };
  if (status === 'errored' && !d.opts.retryErrors) return { ...base, status: 'skipped-errored', error: 'errored in an earlier run (rerun with --retry-errors)' };
  clearEpisodeDir(p.dir);
  await writeJsonAtomicAsync(join(p.dir, 'instance.json'), p.row.instance);

  let players: Player[] = [];
  try {
    const backends = await Promise.all(p.roleModels.map((m) => d.backendFor(m)));
    const episodeInfo = { gameName: spec.game_name, experimentName: p.row.experimentName, gameId: p.row.gameId, instance: p.row.instance };
    players = p.roleModels.map((m, i) => new Player(`Player ${i + 1}`, spec.roles[i] as string, backends[i] as Backend, p.roleArgs[i] as RoleArgs, episodeInfo, d.clock));
    const result = await playEpisode({
      game: p.loaded.module.game,
      gameName: spec.game_name,
      experimentName: p.row.experimentName,
      gameId: p.row.gameId,
      instance: p.row.instance,
      experiment: p.row.experiment,
      players,
      templates: p.loaded.templates,
      seed: hashSeed(d.seed, spec.game_name, p.row.experimentName, p.row.gameId),
      resultsFolder: p.modelsFolder,
      playerModels: p.playerModels,
      clemVersion: d.version,
      clock: d.clock,
      ...(d.opts.signal ? { signal: d.opts.signal } : {}),
    });
    await writeJsonAtomicAsync(join(p.dir, 'interactions.json'), result.interactions, IN_EPISODE_DIR);
    await writeRequestLogs(p, players, result.interactions.meta.round_count, true);
    const scores = scoreEpisode(p.loaded.module.game, result.interactions, p.row.instance, p.row.experiment);
    const scoresFile = join(p.dir, 'scores.json');
    await writeFileAtomicAsync(scoresFile, stringifyScores(scoresFile, scores), IN_EPISODE_DIR);
    await writeJsonAtomicAsync(join(p.dir, 'completed.json'), { timestamp: d.clock().toISOString(), outcome: result.outcome }, IN_EPISODE_DIR);
    return { ...base, status: result.outcome };
  } catch (e) {
    // An interrupted run leaves the episode pending (no error.json): the rerun plays it again.
    if (d.opts.signal?.aborted || hasCode(e, 'ABORT_ERR') || (e instanceof Error && e.name === 'AbortError')) throw e;
    await writeRequestLogs(p, players, null, false);
    await writeJsonAtomicAsync(join(p.dir, 'error.json'), { timestamp: d.clock().toISOString(), ...describeError(e) });
    return { ...base, status: 'errored', error: e instanceof Error ? e.message : String(e) };
  }
}

/** A role's generation args: temperature and max tokens always set (they are recorded in player_models). */
type RoleArgs = GenerationArgs & { temperature: number; maxTokens: number };

/** -t/-l over the registry's generation defaults, else temperature 0 and 300 tokens. */
function generationArgs(spec: ModelSpec, opts: RunOptions): RoleArgs {
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

async function writeRequestLogs(p: PlannedEpisode, players: readonly Player[], roundCount: number | null, completed: boolean): Promise<void> {
  await Promise.all(
    players.map((player) => {
      if (player.calls.length === 0) return Promise.resolve();
      const file = join(p.dir, `${player.name.toLowerCase().replaceAll(' ', '_')}.requests.json`);
      return writeJsonAtomicAsync(file, {
        meta: {
          game_name: p.loaded.spec.game_name,
          experiment_name: p.row.experimentName,
          game_id: p.row.gameId,
          player_name: player.name,
          game_role: player.role,
          model_name: player.modelName,
          round_count: roundCount,
          completed,
        },
        calls: player.toRequestsLog(),
      }, IN_EPISODE_DIR);
    }),
  );
}

/** One `<models>` folder of the run: its episodes and the run.json a previous run left there, read once. */
interface RunFolder {
  name: string;
  file: string;
  episodes: PlannedEpisode[];
  previous: PreviousRunFile | undefined;
}

interface PreviousRunFile {
  history?: JsonValue[];
  current?: JsonValue & { started_at?: string; gen_args?: { temperature?: unknown; max_tokens?: unknown } };
}

function readRunFolders(resultsDir: string, plan: readonly PlannedEpisode[]): RunFolder[] {
  const folders = new Map<string, RunFolder>();
  for (const p of plan) {
    let folder = folders.get(p.modelsFolder);
    if (!folder) {
      const file = join(resultsDir, p.modelsFolder, 'run.json');
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PreviousRunFile) : undefined;
      folder = { name: p.modelsFolder, file, episodes: [], previous };
      folders.set(p.modelsFolder, folder);
    }
    folder.episodes.push(p);
  }
  return [...folders.values()];
}

/**
 * The results folder name does not hold generation settings (as in clemcore 3.7), so resuming with other
 * settings would silently mix them: warn when -t/-l differ from the run being resumed.
 */
function warnOnChangedSettings(opts: RunOptions, folders: readonly RunFolder[]): void {
  if (!opts.onWarning) return;
  for (const { name, previous: previousRun } of folders) {
    const previous = previousRun?.current?.gen_args;
    const now = { temperature: opts.temperature ?? null, max_tokens: opts.maxTokens ?? null };
    if (previous && (previous.temperature !== now.temperature || previous.max_tokens !== now.max_tokens))
      opts.onWarning(
        `${name}: resuming a run made with temperature ${String(previous.temperature)} and max tokens ${String(previous.max_tokens)}, ` +
          `now ${String(now.temperature)} and ${String(now.max_tokens)}; completed episodes keep their old settings (use another -r to keep them apart)`,
      );
  }
}

async function writeExperimentFiles(resultsDir: string, plan: readonly PlannedEpisode[], clock: () => Date): Promise<void> {
  const seen = new Map<string, PlannedEpisode>();
  for (const p of plan) seen.set(join(resultsDir, p.modelsFolder, p.loaded.spec.game_name, p.row.experimentName), p);
  await Promise.all(
    [...seen].map(([dir, p]) => {
      const file = join(dir, 'experiment.json');
      if (existsSync(file)) return Promise.resolve();
      return writeJsonAtomicAsync(file, {
        ...p.row.experiment,
        game_name: p.loaded.spec.game_name,
        timestamp: clock().toISOString(),
        player_models: p.roleModels.map((m) => m.model_name),
      });
    }),
  );
}

async function writeRunJson(
  opts: RunOptions,
  folder: RunFolder,
  info: { version: string; seed: number; startedAt: string; endedAt: string | null },
): Promise<void> {
  const { previous } = folder;
  let history = previous?.history ?? [];
  if (previous?.current && previous.current.started_at !== info.startedAt) history = [...history, previous.current];
  const games: Record<string, JsonValue> = {};
  for (const p of folder.episodes) {
    const g = (games[p.loaded.spec.game_name] ??= { game_path: p.loaded.spec.game_path, num_instances: 0 }) as { num_instances: number };
    g.num_instances += 1;
  }
  const first = folder.episodes[0];
  await writeJsonAtomicAsync(folder.file, {
    format_version: 1,
    current: {
      clem_version: info.version,
      node_version: process.version,
      command: opts.command ?? null,
      seed: info.seed,
      started_at: info.startedAt,
      ended_at: info.endedAt,
      player_models: first ? first.roleModels.map((m) => m.model_name) : [],
      gen_args: { temperature: opts.temperature ?? null, max_tokens: opts.maxTokens ?? null },
      concurrency: opts.concurrency ?? 1,
      games,
    },
    history,
  });
}
