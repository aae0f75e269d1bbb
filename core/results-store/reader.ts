import { rmSync, statSync } from 'node:fs';
import { isDeadWriterTemp } from '../../base/atomic.js';
import path from 'node:path';
import { ConfigError, UnknownNameError } from '../../base/errors.js';
import { closestNames } from '../../registry/closest.js';
import type { ScoreValue } from '../../registry/scores.js';
import { Episode, type EpisodeOutcome, type ReadContext } from './episode.js';
import { FileBytesReader } from './read-file.js';
import { listAndReadParallel } from './parallel-list.js';

/**
 * The one reader of results folders: clem-ts's layout and both of clemcore's (`<models>/<game>/<experiment>/
 * instance_NNNNN/` since clemcore 3.3, `<models>/<game>/<i>_<experiment>/episode_<k>/` before), under any parent
 * folders. Like clemcore's eval, the last four folders above an episode's files name models, game, experiment and
 * episode. score, eval, transcribe and the learners read results through {@link readResults}.
 */

/** Episodes whose episode score `score` is a number in [min, max] (either bound may be left out). */
export interface ScoreRange {
  /** An episode score, e.g. `Main Score`; true/false count as 1/0, other non-numbers never match. */
  score: string;
  min?: number;
  max?: number;
}

/** Which episodes to read; every given condition must hold. */
export interface EpisodeFilter {
  /** Only these games (exact folder names). A name that matches no episode throws UnknownNameError. */
  games?: readonly string[];
  /**
   * Only `<models>` folders containing one of these (clemcore's `-m` matches substrings). A string that matches no
   * folder throws UnknownNameError.
   */
  models?: readonly string[];
  /** Only these experiments (the name, or the folder name as in `0_high_en`). Unknown ones throw UnknownNameError. */
  experiments?: readonly string[];
  /** Only episodes with one of these outcomes (reads their episode scores). */
  outcomes?: readonly EpisodeOutcome[];
  /** Only episodes whose scores fall in every range (reads their episode scores). */
  scores?: readonly ScoreRange[];
}

/** How to read (the results are the same either way). */
export interface ReadOptions {
  /**
   * Read every kept episode's "meta" and "episode scores" while listing (what eval needs), on worker threads when
   * the tree is large. Without it nothing is read until asked for.
   */
  episodeScores?: boolean;
  /** Worker threads for listing and reading a large tree, beside the main thread (default: `CLEM_TS_READ_THREADS`, else one on 2–3 cores, up to 4 on more). */
  threads?: number;
  /** Folders left to list below the experiment level from which threads are used (default 2000). */
  threadsFrom?: number;
}

export interface ResultsRead {
  /** The results folder, absolute. */
  root: string;
  /**
   * Every episode folder that passes the filter, sorted by (models folder, game, experiment folder, episode folder)
   * in code-unit order (Python's, so eval's raw.csv matches clemcore's), then by path.
   */
  episodes: Episode[];
  /**
   * Episodes with a scores.json whose four folder names repeat an earlier episode's (another run folder above
   * the same models folder, say); left out of `episodes`, as clemcore's eval skips them ("Repeated file").
   */
  duplicates: Episode[];
  /** scores.json files fewer than four folders below the root, which no layout explains (`/`-separated). */
  unplaced: string[];
  /** Temporary files anywhere under the root (absolute paths): left by writers that were killed, or still writing. */
  tempFiles: string[];
  /**
   * Symbolic links under the root (`/`-separated, relative to it), which the reader does not follow: episodes behind
   * them are not read (a link could lead outside the folder, and transcribe writes beside what it reads).
   */
  links: string[];
}

/** The key clemcore's eval deduplicates on: (models folder, game, experiment folder, episode folder). */
export function episodeKey(e: Pick<Episode, 'modelsFolder' | 'game' | 'experimentFolder' | 'episodeFolder'>): string {
  return `${e.modelsFolder}\u0000${e.game}\u0000${e.experimentFolder}\u0000${e.episodeFolder}`;
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by (key, path) and pairs each episode with its key (computed once). */
function sortEpisodes(episodes: readonly Episode[]): { key: string; e: Episode }[] {
  const keyed = episodes.map((e) => ({ key: episodeKey(e), sortKey: '', e }));
  for (const k of keyed) k.sortKey = `${k.key}\u0000\u0000${k.e.rel}`;
  keyed.sort((a, b) => compareCodeUnits(a.sortKey, b.sortKey));
  return keyed;
}

function listNames(names: Iterable<string>, max = 20): string {
  const sorted = [...new Set(names)].sort(compareCodeUnits);
  if (sorted.length === 0) return 'none';
  return sorted.length <= max ? sorted.join(', ') : `${sorted.slice(0, max).join(', ')}, … (${sorted.length} in all)`;
}

/** Throws UnknownNameError for the first name of the filter that matches no episode, naming the closest ones. */
function checkNames(root: string, all: readonly Episode[], filter: EpisodeFilter): void {
  const checks: { kind: string; wanted: readonly string[] | undefined; names: (e: Episode) => string[]; matches: (e: Episode, w: string) => boolean }[] = [
    { kind: 'game', wanted: filter.games, names: (e) => [e.game], matches: (e, w) => e.game === w },
    { kind: 'model', wanted: filter.models, names: (e) => [e.modelsFolder], matches: (e, w) => e.modelsFolder.includes(w) },
    { kind: 'experiment', wanted: filter.experiments, names: (e) => [e.experiment], matches: (e, w) => e.experiment === w || e.experimentFolder === w },
  ];
  for (const check of checks) {
    for (const wanted of check.wanted ?? []) {
      if (all.some((e) => check.matches(e, wanted))) continue;
      const known = all.flatMap(check.names);
      throw new UnknownNameError(check.kind, wanted, closestNames(wanted, known), `${check.kind[0]?.toUpperCase()}${check.kind.slice(1)}s with episodes in ${root}: ${listNames(known)}.`);
    }
  }
}

function keepByName(e: Episode, filter: EpisodeFilter): boolean {
  if (filter.games && !filter.games.includes(e.game)) return false;
  if (filter.models && !filter.models.some((m) => e.modelsFolder.includes(m))) return false;
  if (filter.experiments && !filter.experiments.some((x) => x === e.experiment || x === e.experimentFolder)) return false;
  return true;
}

/** A score as a number for range filters: numbers (finite), true/false as 1/0; anything else undefined. */
function numeric(value: ScoreValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

async function keepByScores(e: Episode, filter: EpisodeFilter): Promise<boolean> {
  if (filter.outcomes && !filter.outcomes.includes(await e.outcome())) return false;
  for (const range of filter.scores ?? []) {
    const value = numeric((await e.episodeScores())?.['episode scores'][range.score]);
    if (value === undefined || (range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) return false;
  }
  return true;
}

/** Moves scored episodes that repeat an earlier one's key out of `sorted` (the first in sort order wins). */
function splitDuplicates(sorted: readonly { key: string; e: Episode }[]): { episodes: Episode[]; duplicates: Episode[] } {
  const seen = new Set<string>();
  const episodes: Episode[] = [];
  const duplicates: Episode[] = [];
  for (const { key, e } of sorted) {
    if (!e.has('scores.json')) episodes.push(e);
    else if (seen.has(key)) duplicates.push(e);
    else {
      seen.add(key);
      episodes.push(e);
    }
  }
  return { episodes, duplicates };
}

/**
 * Reads a results folder into typed episodes (see {@link Episode}): the folders are listed once; no file is read
 * unless the filter needs episode scores (outcomes, score ranges) or `options.episodeScores` asks for them, and
 * then only "meta" and "episode scores". With threads (see {@link ReadOptions}), large trees are listed and read on
 * worker threads. Other files are
 * loaded on demand through each episode (see {@link loadEpisodeScores} for many at once).
 *
 * Throws ConfigError if `resultsDir` is not a folder, UnknownNameError (listing the closest names) if a game,
 * model or experiment of the filter matches no episode, FileFormatError (naming the file) if a scores.json the
 * filter must read does not parse, and the file-system error if a folder cannot be listed.
 */
export async function readResults(resultsDir: string, filter: EpisodeFilter = {}, options: ReadOptions = {}): Promise<ResultsRead> {
  const root = path.resolve(resultsDir);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`results folder '${resultsDir}' does not exist or is not a folder; pass the folder that \`run\` wrote (-r).`);
  }
  const { listing, scores } = await listAndReadParallel(root, {
    readScores: options.episodeScores === true,
    ...(filter.games ? { games: filter.games } : {}),
    ...(filter.models ? { models: filter.models } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.threadsFrom !== undefined ? { minFolders: options.threadsFrom } : {}),
  });
  const context: ReadContext = { root, experimentFiles: new Map() };
  const all = listing.episodes.map((listed) => {
    const episode = new Episode(context, listed);
    const sliced = scores.get(listed);
    if (sliced !== undefined) episode.presetEpisodeScores(sliced);
    return episode;
  });
  checkNames(root, all, filter);
  // Duplicates are decided before outcome and score filters, so a filter never promotes a skipped copy.
  const { episodes: named, duplicates } = splitDuplicates(sortEpisodes(all.filter((e) => keepByName(e, filter))));
  let episodes = named;
  if (options.episodeScores) await loadEpisodeScores(named);
  if (filter.outcomes !== undefined || filter.scores !== undefined) {
    await loadEpisodeScores(named);
    const keep = await Promise.all(named.map((e) => keepByScores(e, filter)));
    episodes = named.filter((_, i) => keep[i]);
  }
  return { root, episodes, duplicates, unplaced: listing.unplaced.sort(compareCodeUnits), tempFiles: listing.tempFiles.sort(compareCodeUnits), links: listing.links.sort(compareCodeUnits) };
}

const CHUNK = 256;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Loads "meta" and "episode scores" of every episode given that has a scores.json, so that each
 * `episode.episodeScores()` returns at once. Reads one file at a time into a reused buffer, yielding to the event
 * loop between chunks. Never throws for a file: a file that does not parse throws from its episode's
 * `episodeScores()`.
 */
export async function loadEpisodeScores(episodes: readonly Episode[]): Promise<void> {
  const reader = new FileBytesReader();
  for (let i = 0; i < episodes.length; i++) {
    (episodes[i] as Episode).loadEpisodeScoresSync(reader);
    if ((i + 1) % CHUNK === 0) await yieldToLoop();
  }
}

/**
 * A line telling which symbolic links {@link readResults} did not follow (their episodes were not read), or undefined
 * when there were none: commands print it, so that episodes behind a link are not left out silently.
 */
export function linksNote(read: Pick<ResultsRead, 'root' | 'links'>): string | undefined {
  if (read.links.length === 0) return undefined;
  return `${read.links.length} symbolic link(s) in ${read.root} not followed, so what they lead to was not read: ${listNames(read.links, 5)}`;
}

/**
 * Removes the temporary files {@link readResults} found (at every level of the folder) whose writer is gone — a
 * killed run, eval, transcribe or score; base/atomic.ts tells from the file's name — and leaves a live writer's.
 * Commands that write into a results folder call it once their selection is known to be good. Returns the paths
 * removed.
 */
export function removeDeadWriterTemps(read: Pick<ResultsRead, 'tempFiles'>): string[] {
  const removed: string[] = [];
  for (const file of read.tempFiles) {
    if (!isDeadWriterTemp(path.dirname(file), path.basename(file))) continue;
    rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}
