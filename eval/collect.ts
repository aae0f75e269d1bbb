import { opendir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseScoresText, type ScoresRead } from '../registry/scores.js';

/**
 * Finding episodes in a results folder, in every layout clemcore and clem-ts write:
 * - clem-ts / clemcore ≥3.3: `RESULTS/<models>/<game>/<experiment>/instance_00000/scores.json`
 * - clemcore ≤3.2:          `RESULTS/<models>/<game>/<i>_<experiment>/episode_<k>/scores.json`
 * Like clemcore (clemeval.py `parse_directory_name`), the four folders above `scores.json` name model, game,
 * experiment and episode, however deep the file sits (a parent run folder is allowed); names are kept as the folder
 * spells them, so raw.csv matches clemcore's (`0_high_en`, `episode_3`).
 * Beyond clemcore: an episode folder (one with `instance.json`) that has `error.json` or lacks `scores.json` is
 * reported as errored instead of silently dropped.
 */

/** One episode's place: the four folder names clemcore keys it by, and its folder relative to the results root. */
export interface EpisodeRef {
  model: string;
  game: string;
  experiment: string;
  episode: string;
  /** Folder relative to the results root, `/`-separated. */
  dir: string;
}

export type ErrorReason = 'error_json' | 'no_scores';

export interface ErroredEpisode extends EpisodeRef {
  /** `error_json`: the run recorded a failure (it may still have a stale scores.json); `no_scores`: never scored. */
  reason: ErrorReason;
  /** Whether a scores.json exists too (then clemcore, and so the table, still counts the episode). */
  scored: boolean;
}

export interface ScanFilter {
  /** Keep model folders whose name contains one of these (clemcore's `eval -m` matches substrings). */
  models?: readonly string[];
  /** Keep only these games (exact folder names). */
  games?: readonly string[];
}

export interface ResultsScan {
  /** Episodes with a scores.json, sorted by (model, game, experiment, episode), duplicates removed. */
  scored: EpisodeRef[];
  /** Episode folders clemcore would drop: error.json, or instance.json without scores.json. Sorted likewise. */
  errored: ErroredEpisode[];
  /** scores.json files skipped because an earlier one had the same (model, game, experiment, episode). */
  duplicates: EpisodeRef[];
  /** scores.json files fewer than four folders below the root, which no layout explains (skipped). */
  unplaced: string[];
}

interface DirFacts {
  rel: string[];
  hasScores: boolean;
  hasError: boolean;
  hasInstance: boolean;
}

const SCAN_CONCURRENCY = 16;

/** Lists folders under `root` breadth-first with a few `opendir` calls in flight; symlinks are not followed. */
async function* walk(root: string): AsyncGenerator<DirFacts> {
  let frontier: string[][] = [[]];
  while (frontier.length > 0) {
    const next: string[][] = [];
    for (let i = 0; i < frontier.length; i += SCAN_CONCURRENCY) {
      const batch = frontier.slice(i, i + SCAN_CONCURRENCY);
      const listed = await Promise.all(batch.map((rel) => listDir(root, rel)));
      for (const { facts, subdirs } of listed) {
        yield facts;
        for (const sub of subdirs) next.push([...facts.rel, sub]);
      }
    }
    frontier = next;
  }
}

async function listDir(root: string, rel: string[]): Promise<{ facts: DirFacts; subdirs: string[] }> {
  const facts: DirFacts = { rel, hasScores: false, hasError: false, hasInstance: false };
  const subdirs: string[] = [];
  const dir = await opendir(path.join(root, ...rel));
  for await (const entry of dir) {
    if (entry.isDirectory()) subdirs.push(entry.name);
    else if (entry.isFile()) {
      if (entry.name === 'scores.json') facts.hasScores = true;
      else if (entry.name === 'error.json') facts.hasError = true;
      else if (entry.name === 'instance.json') facts.hasInstance = true;
    }
  }
  return { facts, subdirs };
}

function refOf(rel: string[]): EpisodeRef | undefined {
  if (rel.length < 4) return undefined;
  const [model, game, experiment, episode] = rel.slice(-4) as [string, string, string, string];
  return { model, game, experiment, episode, dir: rel.join('/') };
}

/** The key clemcore deduplicates on. */
export function episodeKey(ref: Pick<EpisodeRef, 'model' | 'game' | 'experiment' | 'episode'>): string {
  return `${ref.model}\u0000${ref.game}\u0000${ref.experiment}\u0000${ref.episode}`;
}

function byKeyThenDir(a: EpisodeRef, b: EpisodeRef): number {
  const ka = episodeKey(a);
  const kb = episodeKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0;
}

function keep(ref: EpisodeRef, filter: ScanFilter): boolean {
  if (filter.games && !filter.games.includes(ref.game)) return false;
  if (filter.models && !filter.models.some((m) => ref.model.includes(m))) return false;
  return true;
}

/**
 * Scans `root` for episodes. Folders are listed, never read, so this is cheap even for 100k episodes. When two
 * scores.json map to the same (model, game, experiment, episode), the one whose folder sorts first is kept and the
 * other is reported in `duplicates` (clemcore keeps the first in file-system order and prints "Repeated file").
 * Throws the file-system error if `root` cannot be read.
 */
export async function scanResults(root: string, filter: ScanFilter = {}): Promise<ResultsScan> {
  const scoredAll: EpisodeRef[] = [];
  const erroredAll: ErroredEpisode[] = [];
  const unplaced: string[] = [];
  for await (const facts of walk(root)) {
    if (!facts.hasScores && !facts.hasInstance && !facts.hasError) continue;
    const ref = refOf(facts.rel);
    if (ref === undefined) {
      if (facts.hasScores) unplaced.push([...facts.rel, 'scores.json'].join('/'));
      continue;
    }
    if (!keep(ref, filter)) continue;
    if (facts.hasScores) scoredAll.push(ref);
    if (facts.hasError) erroredAll.push({ ...ref, reason: 'error_json', scored: facts.hasScores });
    else if (facts.hasInstance && !facts.hasScores) erroredAll.push({ ...ref, reason: 'no_scores', scored: false });
  }
  scoredAll.sort(byKeyThenDir);
  erroredAll.sort(byKeyThenDir);
  const scored: EpisodeRef[] = [];
  const duplicates: EpisodeRef[] = [];
  let lastKey: string | undefined;
  for (const ref of scoredAll) {
    const key = episodeKey(ref);
    if (key === lastKey) duplicates.push(ref);
    else scored.push(ref);
    lastKey = key;
  }
  const errored = erroredAll.filter((e, i) => i === 0 || episodeKey(e) !== episodeKey(erroredAll[i - 1] as EpisodeRef));
  unplaced.sort();
  return { scored, errored, duplicates, unplaced };
}

const READ_WINDOW = 64;

/**
 * Reads and parses the scores.json of each episode, `window` files in flight, and hands them to `onEpisode` in the
 * order of `refs` (so outputs never depend on completion order), awaiting each call. Throws FileFormatError naming the first bad file.
 */
export async function readScoresInOrder(
  root: string,
  refs: readonly EpisodeRef[],
  onEpisode: (ref: EpisodeRef, scores: ScoresRead, file: string) => void | Promise<void>,
  window = READ_WINDOW,
): Promise<void> {
  for (let i = 0; i < refs.length; i += window) {
    const batch = refs.slice(i, i + window);
    const texts = await Promise.all(batch.map((ref) => readFile(path.join(root, ref.dir, 'scores.json'), 'utf8')));
    for (let j = 0; j < batch.length; j++) {
      const ref = batch[j] as EpisodeRef;
      const file = path.join(root, ref.dir, 'scores.json');
      await onEpisode(ref, parseScoresText(file, texts[j] as string), file);
    }
  }
}
