import path from 'node:path';
import { sliceScores } from '../../registry/scores-extract.js';
import { FileBytesReader } from './file-bytes.js';
import { type ListedFolder, type ResultsListing, type WalkStart, FILE_BIT, emptyListing, listSubtreesSync } from './walk.js';
import type { ScoresSlices } from '../../registry/scores-extract.js';

/**
 * One share of a parallel listing (core/results-store/parallel-list.ts), as a worker thread or the main thread runs
 * it: list the share's folders and slice "meta" and "episode scores" out of each kept episode's scores.json. Imports
 * no schema library (zod would double a worker's start-up time); whatever the fast path cannot prove right is left
 * to the main thread.
 */

/** What one share is: folders to list below the root, and whether (and for which games and models) to read scores. */
export interface ListTask {
  root: string;
  starts: WalkStart[];
  readScores: boolean;
  games?: readonly string[];
  models?: readonly string[];
}

/** A share's listing, and per episode (same order) the sliced scores, or null when not read. */
export interface ListTaskResult {
  listing: ResultsListing;
  scores: (ScoresSlices | null)[];
}

/** The reader's game and model filters (experiments are matched by the main thread; reading a few more is harmless). */
function keeps(task: ListTask, rel: readonly string[]): boolean {
  const [models, game] = rel.slice(-4) as [string, string];
  if (task.games && !task.games.includes(game)) return false;
  if (task.models && !task.models.some((m) => models.includes(m))) return false;
  return true;
}

/** Runs one share synchronously. Throws the file-system error of a folder that cannot be listed. */
export function runListTask(task: ListTask): ListTaskResult {
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
