import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../base/errors.js';
import { type EpisodeScoresRead, parseEpisodeScoresText } from '../registry/scores.js';
import { compareCodeUnits } from './episodes.js';

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

/**
 * Folders and files are read with the synchronous calls in chunks, yielding to the event loop between chunks:
 * results folders hold many tiny files, and the promise API pays several thread-pool round trips per file
 * (5–7× slower for 10k episodes, bench P4). A chunk blocks for about a millisecond.
 */
const CHUNK = 256;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lists folders under `root` depth-first; symlinks are not followed. */
async function* walk(root: string): AsyncGenerator<DirFacts> {
  const stack: string[][] = [[]];
  let listed = 0;
  while (stack.length > 0) {
    const rel = stack.pop() as string[];
    const facts: DirFacts = { rel, hasScores: false, hasError: false, hasInstance: false };
    for (const entry of readdirSync(path.join(root, ...rel), { withFileTypes: true })) {
      if (entry.isDirectory()) stack.push([...rel, entry.name]);
      else if (entry.isFile()) {
        if (entry.name === 'scores.json') facts.hasScores = true;
        else if (entry.name === 'error.json') facts.hasError = true;
        else if (entry.name === 'instance.json') facts.hasInstance = true;
      }
    }
    yield facts;
    if (++listed % CHUNK === 0) await yieldToLoop();
  }
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

/** Sorts in place by (key, dir), computing each key once. */
function sortByKey<T extends EpisodeRef>(refs: T[]): void {
  const keyed = refs.map((ref) => ({ key: `${episodeKey(ref)}\u0000\u0000${ref.dir}`, ref }));
  keyed.sort((a, b) => compareCodeUnits(a.key, b.key));
  keyed.forEach((k, i) => {
    refs[i] = k.ref;
  });
}

function keep(ref: EpisodeRef, filter: ScanFilter): boolean {
  if (filter.games && !filter.games.includes(ref.game)) return false;
  if (filter.models && !filter.models.some((m) => ref.model.includes(m))) return false;
  return true;
}

/**
 * Scans `root` for episodes. Folders are listed, files not read, so this is cheap even for 100k episodes. When two
 * scores.json map to the same (model, game, experiment, episode), the one whose folder sorts first is kept and the
 * other is reported in `duplicates` (clemcore keeps the first in file-system order and prints "Repeated file").
 * Throws ConfigError if `root` is not a folder, the file-system error if a folder under it cannot be read.
 */
export async function scanResults(root: string, filter: ScanFilter = {}): Promise<ResultsScan> {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`results folder '${root}' does not exist or is not a folder; pass the folder that \`run\` wrote (-r).`);
  }
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
  sortByKey(scoredAll);
  sortByKey(erroredAll);
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

/**
 * Reads the scores.json of each episode, checking its episode scores, and hands them to `onEpisode` in the order of `refs` (outputs
 * never depend on completion order), awaiting each call. Throws FileFormatError naming the first bad file.
 */
export async function readScoresInOrder(
  root: string,
  refs: readonly EpisodeRef[],
  onEpisode: (ref: EpisodeRef, scores: EpisodeScoresRead, file: string) => void | Promise<void>,
): Promise<void> {
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as EpisodeRef;
    const file = path.join(root, ref.dir, 'scores.json');
    await onEpisode(ref, parseEpisodeScoresText(file, readFileSync(file, 'utf8')), file);
    if ((i + 1) % CHUNK === 0) await yieldToLoop();
  }
}
