import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScoresSlices } from '../../registry/scores-extract.js';
import { type ListTask, type ListTaskResult, runListTask } from './list-share.js';
import { type ListedFolder, type ResultsListing, type WalkStart, emptyListing, listFolder, listResults } from './walk.js';

/**
 * Listing a large results folder, and reading its episode scores, on several threads. The main thread lists the
 * first levels (root, models, games, experiments); when the folders left to list are many, they are split into
 * shares: worker threads (core/results-store/list-worker.ts) run one each and the main thread runs one itself while
 * they work (core/results-store/list-share.ts: list, and slice each episode's scores.json), then merges what they
 * send. Below the threshold, or with no worker, the main thread does it all: starting a worker costs more than it
 * saves on a small tree.
 *
 * By default one worker runs beside the main thread on 2 or 3 cores, and up to 4 (one core left to the main
 * thread) on more. A worker costs CPU time of its own (an isolate to start, ~30 ms, its code to warm up, results to
 * copy back: bench P4 at 9,804 episodes, best CPU 1,060 ms with one worker against 900 ms without, on the 2-core
 * machine this was built on at a load of 14), so it pays where a core is idle, as on the quiet machine eval's
 * targets are set for: there half the reading moves off the main thread. At that load its best wall time was
 * still 0.72× (another run, at load 16: 1.14×). `CLEM_TS_READ_THREADS=N` sets the number of workers (0: none);
 * bench P4 prints the figure with the other setting.
 */

export type { ListTask, ListTaskResult } from './list-share.js';

export interface ParallelListOptions {
  /** Read and slice scores.json of the episodes that pass the name filters. */
  readScores: boolean;
  games?: readonly string[];
  models?: readonly string[];
  /** Worker threads beside the main thread (default: {@link defaultReadThreads}; 0: none). */
  threads?: number;
  /** Folders left to list from which threads pay (default 2000). */
  minFolders?: number;
}

export interface ParallelListing {
  listing: ResultsListing;
  /** Sliced scores of episodes a worker read (by the listed folder); absent ones are read by the caller. */
  scores: Map<ListedFolder, ScoresSlices>;
  /** Worker threads used beside the main thread (0: the main thread did it all). */
  threads: number;
}

/**
 * Worker threads to list with, beside the main thread: `CLEM_TS_READ_THREADS` when set (at most the machine's
 * parallelism); else one on 2 or 3 cores, up to 4 leaving one core to the main thread on more; none on one core.
 */
export function defaultReadThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const set = env.CLEM_TS_READ_THREADS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(Number(set), cores);
  return cores >= 4 ? Math.min(4, cores - 1) : cores >= 2 ? 1 : 0;
}

// Compiled, the worker sits beside this file as list-worker.js; run from TypeScript sources (tests), it does not
// exist and the main thread lists alone.
const WORKER = new URL('./list-worker.js', import.meta.url);
const workerAvailable = (): boolean => existsSync(fileURLToPath(WORKER));

function runWorker(task: ListTask): Promise<ListTaskResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: task });
    worker.once('message', (result: ListTaskResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`results listing thread exited with code ${code}`));
    });
  });
}

/**
 * Lists `root` (which must exist), on worker threads when the tree is large, reading episode scores on the way when
 * asked. The listing is the same as {@link listResults}'s (order aside). Throws the file-system error of a folder
 * that cannot be read.
 */
export async function listAndReadParallel(root: string, options: ParallelListOptions): Promise<ParallelListing> {
  const threads = options.threads ?? defaultReadThreads();
  const out = emptyListing();
  // Root, models, games, experiments: a few hundred folders even for large trees.
  let frontier: WalkStart[] = [{ rel: [], underRunFile: false }];
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) frontier = frontier.flatMap((start) => listFolder(root, start, out));
  if (threads < 1 || frontier.length < (options.minFolders ?? 2000) || !workerAvailable()) {
    await listResults(root, frontier, out);
    return { listing: out, scores: new Map(), threads: 0 };
  }
  // Round-robin shares: neighbouring folders (one experiment's episodes) are alike, so shares come out even. The
  // main thread runs share 0 while the workers start and run theirs.
  const shares: WalkStart[][] = Array.from({ length: threads + 1 }, () => []);
  frontier.forEach((start, i) => (shares[i % shares.length] as WalkStart[]).push(start));
  const task = (starts: WalkStart[]): ListTask => ({ root, starts, readScores: options.readScores, ...(options.games ? { games: options.games } : {}), ...(options.models ? { models: options.models } : {}) });
  const running = shares.slice(1).map((starts) => runWorker(task(starts)));
  // Every worker's failure is awaited below; none is left unhandled while the main thread runs its share.
  for (const r of running) r.catch(() => undefined);
  const mine = runListTask(task(shares[0] as WalkStart[]));
  const results = [mine, ...(await Promise.all(running))];
  const scores = new Map<ListedFolder, ScoresSlices>();
  for (const result of results) {
    result.listing.episodes.forEach((listed, i) => {
      out.episodes.push(listed);
      const sliced = result.scores[i];
      if (sliced) scores.set(listed, sliced);
    });
    out.unplaced.push(...result.listing.unplaced);
    out.tempFiles.push(...result.listing.tempFiles);
    out.links.push(...result.listing.links);
  }
  return { listing: out, scores, threads };
}
