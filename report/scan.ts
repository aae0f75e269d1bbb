import { opendir } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';

/**
 * Finding episode folders for the report pages. An episode folder is one holding any of the files an episode leaves
 * (instance.json, interactions.json, scores.json, error.json, completed.json), in any layout clemcore or clem-ts
 * writes. Like eval, the last four folders name model, game, experiment and episode.
 */

export const EPISODE_FILES = ['instance.json', 'interactions.json', 'scores.json', 'error.json', 'completed.json', 'transcript.html'] as const;
export type EpisodeFile = (typeof EPISODE_FILES)[number];

export interface EpisodeFolder {
  /** Path parts relative to the results root. */
  rel: string[];
  /** Which of {@link EPISODE_FILES} it holds. */
  files: Set<EpisodeFile>;
  /** The last four folder names; missing ones are ''. */
  model: string;
  game: string;
  experiment: string;
  episode: string;
}

const LIST_CONCURRENCY = 16;
const KNOWN = new Set<string>(EPISODE_FILES);

async function listDir(root: string, rel: string[]): Promise<{ files: Set<EpisodeFile>; subdirs: string[] }> {
  const files = new Set<EpisodeFile>();
  const subdirs: string[] = [];
  for await (const entry of await opendir(path.join(root, ...rel))) {
    if (entry.isDirectory()) subdirs.push(entry.name);
    else if (entry.isFile() && KNOWN.has(entry.name)) files.add(entry.name as EpisodeFile);
  }
  return { files, subdirs };
}

function folderOf(rel: string[], files: Set<EpisodeFile>): EpisodeFolder {
  const last = rel.slice(-4);
  while (last.length < 4) last.unshift('');
  const [model, game, experiment, episode] = last as [string, string, string, string];
  return { rel, files, model, game, experiment, episode };
}

function compareParts(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x.localeCompare(y, 'en', { numeric: true });
  }
  return a.length - b.length;
}

/**
 * Every episode folder under `root`, sorted by path (numbers in names compare as numbers). Folders are listed, never
 * read, with a few listings in flight; symlinks are not followed. Throws the file-system error if `root` cannot be
 * read.
 */
export async function findEpisodeFolders(root: string): Promise<EpisodeFolder[]> {
  const found: EpisodeFolder[] = [];
  let frontier: string[][] = [[]];
  while (frontier.length > 0) {
    const next: string[][] = [];
    for (let i = 0; i < frontier.length; i += LIST_CONCURRENCY) {
      const batch = frontier.slice(i, i + LIST_CONCURRENCY);
      const listed = await Promise.all(batch.map((rel) => listDir(root, rel)));
      listed.forEach(({ files, subdirs }, j) => {
        const rel = batch[j] as string[];
        const isEpisode = [...files].some((f) => f !== 'transcript.html');
        if (isEpisode) found.push(folderOf(rel, files));
        for (const sub of subdirs) next.push([...rel, sub]);
      });
    }
    frontier = next;
  }
  return found.sort((a, b) => compareParts(a.rel, b.rel));
}

/** Runs `task` over `items` with at most `limit` in flight (p-limit); results keep the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item, i) => run(() => task(item, i))));
}
