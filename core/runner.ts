import { homedir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Backend } from '../backends/backend.js';
import type { BackendDeps } from '../backends/deps.js';
import type { DownloadEvent } from '../backends/hub/index.js';
import { createModel } from '../backends/index.js';
import type { ComposeOptions } from '../backends/wrappers/index.js';
import type { WriteIO } from '../base/atomic.js';
import { KeyRing } from '../registry/keys.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { loadModelRegistry, resolveModel } from '../registry/model-registry.js';
import { playAndRecord, type EpisodeSummary } from './episode-run.js';
import { resolveGames, type GameSource } from './game-source.js';
import { collectPrograms } from './programs.js';
import { silentProgress, type ProgressReporter } from './progress.js';
import { checkPreviousRun, runSettings, writeExperimentFiles } from './run-record.js';
import { byModelsFolder, planEpisodes, type PlannedEpisode } from './run-plan.js';
import { lockStaleMs, ResultsStore, type EpisodeState } from './results-store/store.js';
import { clemVersion } from './version.js';

export type { EpisodeSummary } from './episode-run.js';

export interface RunOptions {
  /** Registered game names, "all", JSON selectors, paths to game folders or code files, or game modules defined in code. */
  games: GameSource[];
  models: string[];
  /** Models for roles that -m leaves open, by role name (--role-model Answerer=gpt-4o-mini); before the game's defaults. */
  roleModels?: Record<string, string>;
  experiment?: string;
  /** Instances file name in the game's in/ folder, without .json. */
  instances?: string;
  temperature?: number;
  maxTokens?: number;
  resultsDir: string;
  /**
   * Model requests in flight at once across the run (default 1), beside each model's own max_concurrency. Calls
   * of programs (programmatic players) are not counted. See `episodesInFlight` for how many episodes are played at once.
   */
  concurrency?: number;
  /**
   * Episodes in flight at once: default 1 when `concurrency` is 1 (episodes one after another), else
   * 4 × `concurrency`, enough episodes that a call is waiting whenever a request slot frees up (episodes make one
   * call at a time, and their lengths differ), while a run of programs only stays bounded too.
   */
  episodesInFlight?: number;
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
  /** File-system calls of the results store's writes (tests inject a full disk). */
  io?: WriteIO;
  /** Claims of dead workers are taken over after this long (default: CLEM_TS_LOCK_STALE_MS, else 30 s). */
  lockStaleMs?: number;
}

export interface RunSummary {
  /** Every planned episode, sorted by folder. */
  episodes: EpisodeSummary[];
  /** Played to an outcome by this worker. */
  played: number;
  /** Completed before this worker started (completed.json): not played again. */
  skipped: number;
  /** Errored here, or errored in an earlier run and not retried. */
  errored: number;
  /** Of the errored: those that errored in an earlier run and were not retried (no `retryErrors`). */
  erroredBefore: number;
  /** Played (or failed) by another worker on the same folder while this one ran. */
  doneByOthers: number;
  /** Of those played here: episodes a stopped worker had claimed and this one took over. */
  takenOver: number;
  /** Episode folders that had both completed.json and error.json and were repaired (completed wins). */
  repaired: string[];
}

/**
 * Plays every selected instance of every selected game. Completed episodes (completed.json) are skipped,
 * errored ones are retried only with `retryErrors`; one failing episode never stops the others. Many
 * processes may run the same command on one results folder at once: each episode is claimed before it is
 * played, so each is played once; a worker waits for episodes other workers hold and takes over those whose
 * worker died. Every file is written atomically, completed.json last, so a run killed at any moment resumes
 * cleanly. A file that cannot be written (disk full) stops the run with a WriteError.
 */
export async function run(opts: RunOptions): Promise<RunSummary> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? (() => new Date());
  const progress = opts.progress ?? silentProgress;
  const seed = opts.seed ?? 0;
  const version = clemVersion();

  const loadedGames = await resolveGames(opts.games, { cwd, env, ...(opts.onWarning ? { onWarning: opts.onWarning } : {}) });
  const registry = loadModelRegistry({ cwd });
  const given = opts.models.map((m) => resolveModel(m, registry));
  const programs = collectPrograms(loadedGames);
  const plan = planEpisodes(loadedGames, given, registry, opts);

  const keys = opts.keys ?? KeyRing.load({ cwd, env });
  // modelFor: a program's fallback model (kb-oracle+gpt-4o-mini) is the run's shared backend for that model
  const deps: BackendDeps = {
    keys,
    cacheDir: env.CLEM_TS_CACHE ?? join(homedir(), '.cache', 'clem-ts'),
    modelsDir: cwd,
    programs,
    modelFor: (spec: ModelSpec) => backendFor(spec),
    env,
    ...(progress.download ? { onDownload: (e: DownloadEvent) => progress.download?.(e) } : {}),
  };
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  // -c: one pool of request slots shared by every model of the run (see withLimit's sharedSlots).
  const backendOptions: ComposeOptions = { ...opts.backend, sharedSlots: pLimit(concurrency) };
  const backends = new Map<string, Promise<Backend>>();
  const backendFor = (spec: ModelSpec): Promise<Backend> => {
    let b = backends.get(spec.model_name);
    if (!b) {
      b = createModel(spec, deps, backendOptions);
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

  const store = new ResultsStore({ root: opts.resultsDir, redactor: keys.redactor(), staleMs: opts.lockStaleMs ?? lockStaleMs(env), clock, ...(opts.io ? { io: opts.io } : {}) });
  const episodesInFlight = Math.max(1, opts.episodesInFlight ?? (concurrency === 1 ? 1 : 4 * concurrency));
  const folders = byModelsFolder(plan);
  const { worker, lock: workerLock } = await store.startWorker(concurrency);
  const episodes: EpisodeSummary[] = [];
  const joined: string[] = [];
  let failed = false;
  try {
    for (const [name, list] of folders) {
      const settings = runSettings(opts, list, { version, seed, concurrency });
      let warning: string | undefined;
      await store.joinRun(name, settings, worker, (previous) => (warning = checkPreviousRun(name, previous, settings)));
      joined.push(name);
      if (warning !== undefined) opts.onWarning?.(warning);
    }
    // A run killed while writing run.json or experiment.json leaves temporary files one or two levels up.
    const levels = new Map(plan.flatMap((p) => [[p.modelsFolder], [p.modelsFolder, p.loaded.spec.game_name], [p.modelsFolder, p.loaded.spec.game_name, p.row.experimentName]].map((c) => [c.join('/'), c])));
    store.removeDeadTempFiles(levels.values());
    await writeExperimentFiles(store, plan, clock);
    const repaired = plan.filter((p) => store.repairBothOutcomes(p.dir)).map((p) => p.dir);
    if (repaired.length > 0)
      opts.onWarning?.(`repaired ${repaired.length} episode(s) that had both completed.json and error.json (left by an older clem-ts; completed wins, error.json removed): ${repaired.join(', ')}`);

    await playAll(plan, episodes, { opts, store, backendFor, clock, seed, version, progress, episodesInFlight });
    episodes.sort((a, b) => a.dir.localeCompare(b.dir));
    return summarize(episodes, repaired);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await closeBackends();
    try {
      for (const name of joined) {
        const dirs = new Set(folders.get(name)?.map((p) => p.dir));
        const mine = episodes.filter((e) => dirs.has(e.dir));
        const count = (f: (e: EpisodeSummary) => boolean): number => mine.filter(f).length;
        await store.leaveRun(name, worker.id, {
          played: count((e) => e.playedHere === true && e.status !== 'errored'),
          errored: count((e) => e.playedHere === true && e.status === 'errored'),
          doneByOthers: count((e) => e.status === 'done-elsewhere'),
          takenOver: count((e) => e.takenOver === true),
        });
      }
    } catch (e) {
      // The run's own failure (e.g. a full disk) is the one to report; run.json just missed this worker's end.
      if (!failed) throw e;
      opts.onWarning?.(`could not record this worker's end in run.json: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await workerLock.release();
    }
  }
}

function summarize(episodes: readonly EpisodeSummary[], repaired: string[]): RunSummary {
  const count = (...s: EpisodeSummary['status'][]): number => episodes.filter((e) => s.includes(e.status)).length;
  return {
    episodes: [...episodes],
    played: count('success', 'lose', 'aborted'),
    skipped: count('skipped'),
    errored: count('errored', 'skipped-errored'),
    erroredBefore: count('skipped-errored'),
    doneByOthers: count('done-elsewhere'),
    takenOver: episodes.filter((e) => e.takenOver === true).length,
    repaired,
  };
}

interface PlayDeps {
  opts: RunOptions;
  store: ResultsStore;
  backendFor: (spec: ModelSpec) => Promise<Backend>;
  clock: () => Date;
  seed: number;
  version: string;
  progress: ProgressReporter;
  episodesInFlight: number;
}

/**
 * Plays the plan, `episodesInFlight` episodes at once, started in plan order, adding each episode's summary to
 * `episodes` as it ends (the caller sorts them). An episode another worker holds is put aside and tried
 * again every few seconds until that worker finishes it (done elsewhere) or dies (its claim goes stale and
 * this worker takes it over). The first failure to write a file aborts every episode in flight and is thrown
 * once they have settled.
 */
async function playAll(plan: readonly PlannedEpisode[], episodes: EpisodeSummary[], d: PlayDeps): Promise<void> {
  const initial = new Map<string, EpisodeState>(plan.map((p) => [p.dir, d.store.episodeState(p.dir)]));
  const stop = new AbortController();
  const signal = d.opts.signal ? AbortSignal.any([d.opts.signal, stop.signal]) : stop.signal;
  const limit = pLimit(d.episodesInFlight);
  let fatal: { error: unknown } | undefined;

  const attempt = async (p: PlannedEpisode, isRevisit: boolean): Promise<PlannedEpisode | undefined> => {
    if (signal.aborted) return undefined;
    try {
      const summary = await playAndRecord(p, initial.get(p.dir) as EpisodeState, { ...d, signal });
      if (summary === 'busy') return p;
      if (isRevisit && summary.playedHere) summary.takenOver = true;
      episodes.push(summary);
      d.progress.episode({ label: `${p.loaded.spec.game_name}/${p.row.experimentName}/${p.row.gameId}`, status: progressStatus(summary), ...(summary.error !== undefined ? { message: summary.error } : {}) });
    } catch (e) {
      fatal ??= { error: e };
      stop.abort(e);
    }
    return undefined;
  };

  d.progress.start(plan.length);
  try {
    let busy = (await Promise.all(plan.map((p) => limit(() => attempt(p, false))))).filter((p) => p !== undefined);
    const pollMs = Math.min(1000, Math.max(100, d.store.staleMs / 8));
    while (busy.length > 0 && !signal.aborted) {
      await sleep(pollMs, signal);
      busy = (await Promise.all(busy.map((p) => limit(() => attempt(p, true))))).filter((p) => p !== undefined);
    }
  } finally {
    d.progress.finish();
  }
  if (d.opts.signal?.aborted) throw d.opts.signal.reason ?? new Error('interrupted');
  if (fatal) throw fatal.error;
}

function progressStatus(s: EpisodeSummary): 'success' | 'lose' | 'aborted' | 'errored' | 'skipped' | 'done elsewhere' {
  if (s.status === 'skipped-errored') return 'skipped';
  if (s.status === 'done-elsewhere') return 'done elsewhere';
  return s.status;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
