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

/** Bit of each episode file in {@link ListedFolder.files}. */
export const FILE_BIT: Readonly<Record<EpisodeFileName, number>> = Object.fromEntries(EPISODE_FILE_NAMES.map((name, i) => [name, 1 << i])) as Record<EpisodeFileName, number>;
const BIT_OF = new Map<string, number>(Object.entries(FILE_BIT));
// transcript.html alone does not make an episode folder (it is derived from the others).
const MARKS_EPISODE = FILE_BIT['instance.json'] | FILE_BIT['interactions.json'] | FILE_BIT['scores.json'] | FILE_BIT['error.json'] | FILE_BIT['completed.json'];
const SCORES_BIT = FILE_BIT['scores.json'];

/** A temporary file as base/atomic.ts names them: `.<name>.<pid>.<n>.tmp` (and any other `.…tmp` a writer left). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

export interface ListedFolder {
  /** Path parts relative to the results root. */
  rel: string[];
  /** Which of {@link EPISODE_FILE_NAMES} it holds, as {@link FILE_BIT} bits. */
  files: number;
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
  /** Symbolic links found anywhere in the tree (`/`-separated, relative to the root): not followed, so not read. */
  links: string[];
}

/** A folder to list, with whether a folder above it holds run.json. */
export interface WalkStart {
  rel: string[];
  underRunFile: boolean;
}

/**
 * Lists one folder: records an episode folder, an unplaced scores.json and temporary files in `out` (calling
 * `onEpisode` for an episode folder) and returns the subfolders to list next. Symlinks and hidden folders (the
 * store's `.locks/`) are not followed. Throws
 * the file-system error if the folder cannot be read.
 */
export function listFolder(root: string, start: WalkStart, out: ResultsListing, onEpisode?: (listed: ListedFolder) => void): WalkStart[] {
  const { rel, underRunFile } = start;
  const dir = rel.length === 0 ? root : path.join(root, ...rel);
  const entries = readdirSync(dir, { withFileTypes: true });
  let files = 0;
  let hasRunFile = false;
  const subdirs: string[] = [];
  for (const entry of entries) {
    const name = entry.name;
    if (entry.isDirectory()) {
      // Hidden folders hold no results: the store's locks (.locks/), editors' and tools' folders.
      if (!name.startsWith('.')) subdirs.push(name);
    } else if (entry.isSymbolicLink()) {
      // Not followed: a link could lead a reader (and transcribe, which writes beside what it reads) outside -r.
      if (!name.startsWith('.')) out.links.push([...rel, name].join('/'));
    } else if (!entry.isFile()) continue;
    else {
      const bit = BIT_OF.get(name);
      if (bit !== undefined) files |= bit;
      else if (name === 'run.json') hasRunFile = true;
      else if (isTempFileName(name)) out.tempFiles.push(path.join(dir, name));
    }
  }
  if ((files & MARKS_EPISODE) !== 0) {
    if (rel.length >= 4) {
      const listed = { rel, files, underRunFile };
      out.episodes.push(listed);
      onEpisode?.(listed);
    } else if ((files & SCORES_BIT) !== 0) out.unplaced.push([...rel, 'scores.json'].join('/'));
  }
  const below = underRunFile || hasRunFile;
  return subdirs.map((sub) => ({ rel: [...rel, sub], underRunFile: below }));
}

/** An empty listing to fill. */
export function emptyListing(): ResultsListing {
  return { episodes: [], unplaced: [], tempFiles: [], links: [] };
}

/** Lists every folder below `starts` depth-first, synchronously (a worker thread's walk). */
export function listSubtreesSync(root: string, starts: readonly WalkStart[], out: ResultsListing, onEpisode?: (listed: ListedFolder) => void): void {
  const stack = [...starts].reverse();
  while (stack.length > 0) {
    const next = listFolder(root, stack.pop() as WalkStart, out, onEpisode);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i] as WalkStart);
  }
}

/**
 * Folders are listed with the synchronous call, yielding to the event loop every `CHUNK` folders: a results folder
 * holds many small folders, and the promise API pays several thread-pool round trips per folder (5–7× slower for
 * 10k episodes, bench P4). A chunk blocks for about a millisecond.
 */
const CHUNK = 256;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Lists every folder below `starts` (default: the whole of `root`) depth-first into `out`, yielding to the event
 * loop between chunks. Throws the file-system error if a folder cannot be read. The root must exist (the reader
 * checks it first).
 */
export async function listResults(
  root: string,
  starts: readonly WalkStart[] = [{ rel: [], underRunFile: false }],
  out: ResultsListing = emptyListing(),
  onEpisode?: (listed: ListedFolder) => void,
): Promise<ResultsListing> {
  const stack = [...starts].reverse();
  let listed = 0;
  while (stack.length > 0) {
    const next = listFolder(root, stack.pop() as WalkStart, out, onEpisode);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i] as WalkStart);
    if (++listed % CHUNK === 0) await yieldToLoop();
  }
  return out;
}
