import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScoresSlices } from '../../registry/scores-extract.js';
import { type ListedFolder, type ResultsListing, type WalkStart, emptyListing, listFolder, listResults } from './walk.js';

/**
 * Listing a large results folder, and reading its episode scores, on several threads. The main thread lists the
 * first levels (root, models, games, experiments); when the folders left to list are many, worker threads
 * (core/results-store/list-worker.ts) list them and slice each episode's scores.json, and the main thread merges
 * what they send. Below the threshold, or with one thread, the main thread does it all: starting a worker costs
 * more than it saves on a small tree.
 *
 * Threads are used by default only on machines with 4 or more cores (up to 4 threads, one core left to the main
 * thread). On the 2-core machine this was built on, under load, 2 threads for 9,804 episodes gave a best wall time
 * 0.83× the main thread's alone but a median 1.06×, and 4 threads took 2.4× the CPU time (723–805 ms against
 * 294–393 ms: isolates to start and warm up, results to copy): they pay only where cores are idle.
 * `CLEM_TS_READ_THREADS=N` sets the number (0: none); bench P4 prints the figure with the other setting.
 */

/** What a worker is asked to do. */
export interface ListTask {
  root: string;
  starts: WalkStart[];
  readScores: boolean;
  games?: readonly string[];
  models?: readonly string[];
}

/** What a worker sends back: its listing, and per episode (same order) the sliced scores, or null when not read. */
export interface ListTaskResult {
  listing: ResultsListing;
  scores: (ScoresSlices | null)[];
}

export interface ParallelListOptions {
  /** Read and slice scores.json of the episodes that pass the name filters. */
  readScores: boolean;
  games?: readonly string[];
  models?: readonly string[];
  /** Threads (default: {@link defaultReadThreads}; 0 or 1: none). */
  threads?: number;
  /** Folders left to list from which threads pay (default 2000). */
  minFolders?: number;
}

export interface ParallelListing {
  listing: ResultsListing;
  /** Sliced scores of episodes a worker read (by the listed folder); absent ones are read by the caller. */
  scores: Map<ListedFolder, ScoresSlices>;
  /** Worker threads used (0: the main thread did it all). */
  threads: number;
}

/**
 * Threads to list with: `CLEM_TS_READ_THREADS` when set (at most the machine's parallelism); else, with 4 or more
 * cores, up to 4 leaving one to the main thread; else none.
 */
export function defaultReadThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const set = env.CLEM_TS_READ_THREADS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(Number(set), cores);
  return cores >= 4 ? Math.min(4, cores - 1) : 0;
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
  if (threads < 2 || frontier.length < (options.minFolders ?? 2000) || !workerAvailable()) {
    await listResults(root, frontier, out);
    return { listing: out, scores: new Map(), threads: 0 };
  }
  // Round-robin shares: neighbouring folders (one experiment's episodes) are alike, so shares come out even.
  const shares: WalkStart[][] = Array.from({ length: threads }, () => []);
  frontier.forEach((start, i) => (shares[i % threads] as WalkStart[]).push(start));
  const results = await Promise.all(
    shares.map((starts) =>
      runWorker({ root, starts, readScores: options.readScores, ...(options.games ? { games: options.games } : {}), ...(options.models ? { models: options.models } : {}) }),
    ),
  );
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
