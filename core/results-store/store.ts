import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeDeadTempFiles, THIS_HOST, type WriteIO } from '../../base/atomic.js';
import { Redactor } from '../../base/redact.js';
import { ExperimentFileSchema, type ExperimentFile, type RunRecord, type RunWorker } from '../../registry/results-files.js';
import { EpisodeWriter, writeResultsJson, type WriteContext } from './episode-writer.js';
import { episodeDir, episodeLockPath, episodeState, repairBothOutcomes, resultsPath, workerLockPath, type EpisodeState } from './layout.js';
import { DEFAULT_LOCK_STALE_MS, type Lock, tryLock } from './locks.js';
import { joinRun, leaveRun, type RunSettings, type WorkerTally } from './run-file.js';

// The writing side's surface (see index.ts): what the runner uses besides ResultsStore.
export { EpisodeWriter, writeResultsJson, type WriteContext } from './episode-writer.js';
export { DEFAULT_LOCK_STALE_MS, isLockHeld, LockError, lockStaleMs, tryLock, waitForLock, type Lock } from './locks.js';
export { joinRun, leaveRun, readRunFile, type RunSettings, type WorkerTally } from './run-file.js';
export type { EpisodeState } from './layout.js';

export interface ResultsStoreOptions {
  /** The results folder (-r). Nothing is written outside it. */
  root: string;
  /** Applied to every file written (default: none). */
  redactor?: Redactor;
  /** File-system calls of atomic writes (tests inject faults). */
  io?: WriteIO;
  /** Locks not refreshed for this long belong to dead workers and are taken over (default 30 s). */
  staleMs?: number;
  clock?: () => Date;
}


/**
 * The results store: the one writer of a results folder. Every file goes through its schema, the redactor
 * and an atomic write, under the root. Many workers (processes, on one machine or several sharing the
 * folder) can write one folder at once: each episode is claimed with a lock before it is played, run.json
 * is updated under a lock, and only dead writers' temporary files are removed.
 */
export class ResultsStore {
  readonly root: string;
  readonly staleMs: number;
  private readonly ctx: WriteContext;
  private readonly clock: () => Date;

  constructor(opts: ResultsStoreOptions) {
    this.root = opts.root;
    this.staleMs = opts.staleMs ?? DEFAULT_LOCK_STALE_MS;
    this.clock = opts.clock ?? (() => new Date());
    this.ctx = { root: opts.root, redactor: opts.redactor ?? Redactor.none, ...(opts.io ? { io: opts.io } : {}) };
  }

  episodeDir(modelsFolder: string, game: string, experiment: string, gameId: number): string {
    return episodeDir(this.root, modelsFolder, game, experiment, gameId);
  }

  /** The episode's status (and error.json text), read now. */
  episodeState(dir: string): EpisodeState {
    return episodeState(dir);
  }

  /** Removes error.json beside completed.json (left by older versions); true when it did. */
  repairBothOutcomes(dir: string): boolean {
    return repairBothOutcomes(dir);
  }

  /**
   * Claims an episode for this worker, or returns undefined when another live worker holds it. A claim left
   * by a dead worker is taken over once stale. Release it when done; `lost` turns true if it was taken over.
   */
  claimEpisode(dir: string): Promise<Lock | undefined> {
    return tryLock(episodeLockPath(this.root, dir), this.staleMs);
  }

  /** The writer of one episode folder; use it only while holding the episode's claim. */
  episodeWriter(dir: string): EpisodeWriter {
    return new EpisodeWriter(dir, this.ctx, this.clock);
  }

  /** Writes `<models>/<game>/<experiment>/experiment.json` unless it exists (every worker writes the same). */
  async writeExperimentFile(modelsFolder: string, game: string, experiment: string, content: ExperimentFile): Promise<void> {
    const file = join(resultsPath(this.root, modelsFolder, game, experiment), 'experiment.json');
    if (existsSync(file)) return;
    await writeResultsJson(this.ctx, file, ExperimentFileSchema, content);
  }

  /** Removes dead writers' temporary files in the given folders (path components under the root; not below them). */
  removeDeadTempFiles(folders: Iterable<readonly string[]>): string[] {
    return [...folders].flatMap((components) => removeDeadTempFiles(resultsPath(this.root, ...components)));
  }

  /**
   * Starts a worker: takes its liveness lock (other workers see it at work while the lock is fresh) and
   * returns its run.json entry, not yet in any run.json (see joinRun).
   */
  async startWorker(concurrency: number): Promise<{ worker: RunWorker; lock: Lock }> {
    // Random, not a counter: a container restarted in place can have the same host name and pid as its dead predecessor.
    const id = `${THIS_HOST}~${process.pid}~${randomBytes(3).toString('hex')}`;
    const lock = await tryLock(workerLockPath(this.root, id), this.staleMs);
    if (!lock) throw new Error(`worker lock ${workerLockPath(this.root, id)} is held: two workers share the id ${id}`);
    const worker: RunWorker = {
      id,
      host: THIS_HOST,
      pid: process.pid,
      started_at: this.clock().toISOString(),
      ended_at: null,
      concurrency,
      played: null,
      errored: null,
      done_by_others: null,
      taken_over: null,
    };
    return { worker, lock };
  }

  /**
   * Adds the worker to `<models>/run.json` (joining a run at work with the same settings); returns the run that was
   * current. `check` may refuse the join by throwing, before run.json is written.
   */
  joinRun(modelsFolder: string, settings: RunSettings, worker: RunWorker, check?: (previous: RunRecord | undefined) => void): Promise<RunRecord | undefined> {
    return joinRun({ ctx: this.ctx, modelsFolder, staleMs: this.staleMs }, settings, worker, check);
  }

  /** Records the worker's end and tally in `<models>/run.json`. */
  leaveRun(modelsFolder: string, workerId: string, tally: WorkerTally): Promise<void> {
    return leaveRun({ ctx: this.ctx, modelsFolder, staleMs: this.staleMs }, workerId, this.clock().toISOString(), tally);
  }
}
