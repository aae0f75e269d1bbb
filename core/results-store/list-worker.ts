import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { sliceScores } from '../../registry/scores-extract.js';
import { FileBytesReader } from './file-bytes.js';
import { type ListedFolder, FILE_BIT, emptyListing, listSubtreesSync } from './walk.js';
import type { ListTask, ListTaskResult } from './parallel-list.js';

/**
 * A worker thread of {@link listAndReadParallel}: lists its share of the results folder and, for each episode
 * folder the reader keeps, slices "meta" and "episode scores" out of its scores.json. Imports no schema library
 * (zod would double its start-up time); whatever the fast path cannot prove right is left to the main thread.
 */

/** The reader's game and model filters (experiments are matched by the main thread; reading a few more is harmless). */
function keeps(task: ListTask, rel: readonly string[]): boolean {
  const [models, game] = rel.slice(-4) as [string, string];
  if (task.games && !task.games.includes(game)) return false;
  if (task.models && !task.models.some((m) => models.includes(m))) return false;
  return true;
}

function run(task: ListTask): ListTaskResult {
  const out = emptyListing();
  const scores: ListTaskResult['scores'] = [];
  const reader = new FileBytesReader();
  const root = task.root;
  listSubtreesSync(root, task.starts, out, (listed: ListedFolder) => {
    if (!task.readScores || (listed.files & FILE_BIT['scores.json']) === 0 || !keeps(task, listed.rel)) {
      scores.push(null);
      return;
    }
    try {
      scores.push(sliceScores(reader.read(path.join(root, ...listed.rel, 'scores.json'))) ?? null);
    } catch {
      scores.push(null); // the main thread reads it again and reports the error with the file's name
    }
  });
  return { listing: out, scores };
}

parentPort?.postMessage(run(workerData as ListTask));
