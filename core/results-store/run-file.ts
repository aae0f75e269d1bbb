import { readdir, readFile, rm } from 'node:fs/promises';
import { isProcessAlive, THIS_HOST } from '../../base/atomic.js';
import { dirname, join } from 'node:path';
import { FileFormatError, ReadError } from '../../base/errors.js';
import { isPlainObject } from '../../registry/unify.js';
import type { JsonValue } from '../../registry/json.js';
import { formatIssues, notValidJson } from '../../registry/parse.js';
import {
  ClemcoreRunFileSchema,
  RUN_FILE_FORMAT_VERSION,
  RunFileReadSchema,
  RunFileSchema,
  type RunRecord,
  type RunWorker,
} from '../../registry/results-files.js';
import { writeResultsJson, type WriteContext } from './episode-writer.js';
import { isLockHeld, removeStaleLock, waitForLock } from './locks.js';
import { resultsPath, runLockPath, workerLockPath } from './layout.js';

/**
 * run.json, one per `<models>` folder: the current run and the runs before it. Workers started with the same
 * command on one folder join one run record; every update is a read-modify-write under the folder's run lock.
 */

/** What a worker brings to a run: the settings (compared when joining) and itself. */
export type RunSettings = Omit<RunRecord, 'started_at' | 'ended_at' | 'workers'>;

/** A worker's tally when it leaves. */
export interface WorkerTally {
  played: number;
  errored: number;
  doneByOthers: number;
  takenOver: number;
}

interface LoadedRunFile {
  current: RunRecord | undefined;
  history: Record<string, JsonValue>[];
}

/** The fix for a run.json that cannot be read: a new run history is started if the file is moved away. */
const RUN_FILE_HINT = 'fix the file, or move it away to start a new run history (episodes are not affected)';

/**
 * Reads run.json: clem-ts's, or clemcore 3.7's (kept as a history record). A missing file is an empty history;
 * garbage throws FileFormatError naming the file and the field.
 */
export async function readRunFile(file: string): Promise<LoadedRunFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { current: undefined, history: [] };
    throw new ReadError(file, e);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(file, [notValidJson(e, text), RUN_FILE_HINT], { cause: e });
  }
  if (isPlainObject(data) && !('format_version' in data) && ClemcoreRunFileSchema.safeParse(data).success)
    return { current: undefined, history: [data as Record<string, JsonValue>] };
  const parsed = RunFileReadSchema.safeParse(data);
  if (!parsed.success) throw new FileFormatError(file, [...formatIssues(parsed.error, data), RUN_FILE_HINT]);
  return { current: parsed.data.current as RunRecord, history: parsed.data.history };
}

function sameSettings(a: RunSettings, b: RunSettings): boolean {
  const key = (s: RunSettings): string => JSON.stringify([s.seed, s.gen_args, s.player_models, Object.keys(s.games).sort()]);
  return key(a) === key(b);
}

/**
 * Whether a worker of a run record is still at work: it has not ended, its liveness lock is fresh and, on this
 * machine, its process exists (a killed worker is known dead at once, before its lock goes stale).
 */
async function isWorking(root: string, w: RunWorker, staleMs: number): Promise<boolean> {
  if (w.ended_at !== null) return false;
  if (w.host === THIS_HOST && !isProcessAlive(w.pid)) return false;
  return isLockHeld(workerLockPath(root, w.id), staleMs);
}

/**
 * Removes the liveness locks dead workers left in `<results>/.locks/.workers/` (whichever run they were in):
 * at once when the process is known gone (this machine), else once stale.
 */
export async function removeDeadWorkerLocks(root: string, staleMs: number): Promise<void> {
  const folder = dirname(workerLockPath(root, 'x'));
  const names = await readdir(folder).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  await Promise.all(
    names.map(async (name) => {
      const [host, pid] = name.split('~');
      const path = join(folder, name);
      if (host === THIS_HOST && pid !== undefined && /^\d+$/.test(pid) && !isProcessAlive(Number(pid))) await rm(path, { recursive: true, force: true });
      else await removeStaleLock(path, staleMs);
    }),
  );
}

export interface RunFileOptions {
  ctx: WriteContext;
  modelsFolder: string;
  staleMs: number;
}

/**
 * Adds `worker` to the folder's run.json: it joins the current run when that run has the same settings and a
 * worker still at work; otherwise the current record goes to history and a new run starts. `check` sees the run
 * record that was current before and may throw to refuse the join (run.json is then left as it was). Returns
 * that record (to warn about changed settings), if any.
 */
export async function joinRun(opts: RunFileOptions, settings: RunSettings, worker: RunWorker, check?: (previous: RunRecord | undefined) => void): Promise<RunRecord | undefined> {
  return updateRunFile(opts, async (loaded) => {
    const previous = loaded.current;
    check?.(previous);
    let joinable = previous !== undefined && previous.ended_at === null && sameSettings(previous, settings);
    if (joinable && previous) joinable = (await Promise.all(previous.workers.map((w) => isWorking(opts.ctx.root, w, opts.staleMs)))).some(Boolean);
    if (joinable && previous) return { result: previous, current: { ...previous, workers: [...previous.workers, worker] }, history: loaded.history };
    const history = previous ? [...loaded.history, previous as unknown as Record<string, JsonValue>] : loaded.history;
    return { result: previous, current: { ...settings, started_at: worker.started_at, ended_at: null, workers: [worker] }, history };
  });
}

/**
 * Records that `workerId` ended with its tally; the run ends (ended_at) when no worker of it is still at work.
 * A worker no longer in the current record (another run started since) changes nothing.
 */
export async function leaveRun(opts: RunFileOptions, workerId: string, endedAt: string, tally: WorkerTally): Promise<void> {
  await updateRunFile(opts, async (loaded) => {
    const current = loaded.current;
    if (!current || !current.workers.some((w) => w.id === workerId)) return { result: undefined, current, history: loaded.history };
    const workers = current.workers.map((w) =>
      w.id === workerId
        ? { ...w, ended_at: endedAt, played: tally.played, errored: tally.errored, done_by_others: tally.doneByOthers, taken_over: tally.takenOver }
        : w,
    );
    const stillWorking = (await Promise.all(workers.map((w) => isWorking(opts.ctx.root, w, opts.staleMs)))).some(Boolean);
    // A killed worker's liveness lock stays behind.
    await removeDeadWorkerLocks(opts.ctx.root, opts.staleMs);
    return { result: undefined, current: { ...current, workers, ended_at: stillWorking ? null : endedAt }, history: loaded.history };
  });
}

async function updateRunFile<R>(
  opts: RunFileOptions,
  update: (loaded: LoadedRunFile) => Promise<{ result: R; current: RunRecord | undefined; history: Record<string, JsonValue>[] }>,
): Promise<R> {
  const file = join(resultsPath(opts.ctx.root, opts.modelsFolder), 'run.json');
  const lock = await waitForLock(runLockPath(opts.ctx.root, opts.modelsFolder), opts.staleMs);
  try {
    const next = await update(await readRunFile(file));
    if (next.current) await writeResultsJson(opts.ctx, file, RunFileSchema, { format_version: RUN_FILE_FORMAT_VERSION, current: next.current, history: next.history });
    return next.result;
  } finally {
    await lock.release();
  }
}
