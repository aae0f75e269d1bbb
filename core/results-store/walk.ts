import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * One pass over a results folder: every folder is listed once (names and types only, no file is opened or stat'ed),
 * and what the reader needs is collected on the way — episode folders with the files they hold, scores.json files
 * that sit too high to be placed, temporary files of interrupted writers, and which subtrees keep completion markers.
 */

/** The files that make a folder an episode folder, and the ones the reader reports on. */
export const EPISODE_FILE_NAMES = ['instance.json', 'interactions.json', 'scores.json', 'error.json', 'completed.json', 'transcript.html'] as const;
export type EpisodeFileName = (typeof EPISODE_FILE_NAMES)[number];

const KNOWN = new Set<string>(EPISODE_FILE_NAMES);
// transcript.html alone does not make an episode folder (it is derived from the others).
const MARKS_EPISODE = new Set<string>(['instance.json', 'interactions.json', 'scores.json', 'error.json', 'completed.json']);

/** A temporary file as base/atomic.ts names them: `.<name>.<pid>.<n>.tmp` (and any other `.…tmp` a writer left). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

export interface ListedFolder {
  /** Path parts relative to the results root. */
  rel: string[];
  files: Set<EpisodeFileName>;
  /**
   * Whether a folder above it (or the root) holds run.json: clem-ts and clemcore ≥3.7 write run.json and mark each
   * finished episode with completed.json, so there an episode without one is unfinished; older clemcore wrote
   * neither, and an episode with interactions.json is finished.
   */
  underRunFile: boolean;
}

export interface ResultsListing {
  /** Folders at least four levels below the root holding any episode file. In walk order (not sorted). */
  episodes: ListedFolder[];
  /** scores.json files fewer than four folders below the root, which no layout explains (`/`-separated). */
  unplaced: string[];
  /** Temporary files found anywhere in the tree (absolute paths). */
  tempFiles: string[];
}

/**
 * Folders are listed with the synchronous call, yielding to the event loop every `CHUNK` folders: a results folder
 * holds many small folders, and the promise API pays several thread-pool round trips per folder (5–7× slower for
 * 10k episodes, bench P4). A chunk blocks for about a millisecond.
 */
const CHUNK = 256;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Lists `root` depth-first; symlinks are not followed. Throws the file-system error if a folder cannot be read.
 * The root itself must exist (the reader checks it first).
 */
export async function listResults(root: string): Promise<ResultsListing> {
  const out: ResultsListing = { episodes: [], unplaced: [], tempFiles: [] };
  const stack: { rel: string[]; underRunFile: boolean }[] = [{ rel: [], underRunFile: false }];
  let listed = 0;
  while (stack.length > 0) {
    const { rel, underRunFile } = stack.pop() as { rel: string[]; underRunFile: boolean };
    const dir = rel.length === 0 ? root : path.join(root, ...rel);
    const entries = readdirSync(dir, { withFileTypes: true });
    let files: Set<EpisodeFileName> | undefined;
    let isEpisode = false;
    let hasRunFile = false;
    const subdirs: string[] = [];
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) subdirs.push(name);
      else if (!entry.isFile()) continue;
      else if (KNOWN.has(name)) {
        (files ??= new Set()).add(name as EpisodeFileName);
        if (MARKS_EPISODE.has(name)) isEpisode = true;
      } else if (name === 'run.json') hasRunFile = true;
      else if (isTempFileName(name)) out.tempFiles.push(path.join(dir, name));
    }
    if (isEpisode && files) {
      if (rel.length >= 4) out.episodes.push({ rel, files, underRunFile });
      else if (files.has('scores.json')) out.unplaced.push([...rel, 'scores.json'].join('/'));
    }
    const below = underRunFile || hasRunFile;
    for (const sub of subdirs) stack.push({ rel: [...rel, sub], underRunFile: below });
    if (++listed % CHUNK === 0) await yieldToLoop();
  }
  return out;
}
