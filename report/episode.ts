import { hasCode } from '../base/errors.js';
import { type Episode, outcomeFromScores } from '../core/results-store/index.js';
import type { EpisodeScoresRead, ScoreValue } from '../registry/scores.js';

/**
 * One episode as the index lists it. The outcome follows eval's definition of errored (eval/refs.ts): an episode
 * folder with error.json, or without scores.json, is `errored` — shown, never dropped.
 */
export type IndexOutcome = 'success' | 'lose' | 'aborted' | 'errored' | 'unknown';
export const INDEX_OUTCOMES: readonly IndexOutcome[] = ['success', 'lose', 'aborted', 'errored', 'unknown'];

export interface EpisodeRow {
  /** Folder relative to the results root, `/`-separated. */
  dir: string;
  model: string;
  game: string;
  experiment: string;
  /** game_id from scores.json meta, else the number in the folder name, else the folder name. */
  gameId: string;
  outcome: IndexOutcome;
  mainScore: number | null;
  /** The page to link: transcript.html, else interactions.json, else error.json, else null. */
  link: string | null;
  /** error.json's error and message, for errored episodes. */
  error: string | null;
}

/** A score as a number: numbers as they are, booleans 1/0, anything else (null, strings, NaN) null. */
export function scoreNumber(value: ScoreValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** The outcome the framework's flags name (Aborted first), `unknown` when none is set. */
export function indexOutcome(episodeScores: Readonly<Record<string, ScoreValue>>): IndexOutcome {
  return outcomeFromScores(episodeScores) ?? 'unknown';
}

function gameIdOf(e: Episode, scores: EpisodeScoresRead | undefined): string {
  const id = scores?.meta?.game_id;
  if (typeof id === 'number' || typeof id === 'string') return String(id);
  if (e.gameId !== null) return String(e.gameId);
  const digits = /(\d+)$/.exec(e.episodeFolder);
  return digits ? String(Number(digits[1])) : e.episodeFolder;
}

function linkOf(e: Episode): string | null {
  const file = e.has('transcript.html') ? 'transcript.html' : e.has('interactions.json') ? 'interactions.json' : e.has('error.json') ? 'error.json' : null;
  return file === null ? null : `${e.rel}/${file}`;
}

function baseRow(e: Episode, scores: EpisodeScoresRead | undefined): Pick<EpisodeRow, 'dir' | 'model' | 'game' | 'experiment' | 'gameId' | 'link'> {
  const meta = scores?.meta;
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
  return {
    dir: e.rel,
    model: e.modelsFolder,
    game: text(meta?.game_name, e.game),
    experiment: text(meta?.experiment_name, e.experimentFolder),
    gameId: gameIdOf(e, scores),
    link: linkOf(e),
  };
}

async function errorText(e: Episode): Promise<string> {
  const error = await e.error();
  return [error?.error, error?.message].filter((x) => x !== undefined && x !== '').join(': ') || 'error.json';
}

function rowWith(e: Episode, scores: EpisodeScoresRead | undefined, errorMessage: string | null): EpisodeRow {
  let outcome: IndexOutcome = 'errored';
  let error: string | null = errorMessage;
  if (e.has('error.json')) error ??= 'error.json';
  else if (scores === undefined) error = e.has('instance.json') ? 'no scores.json (not finished or never scored)' : 'no scores.json';
  else outcome = indexOutcome(scores['episode scores']);
  return {
    ...baseRow(e, scores),
    outcome,
    mainScore: outcome === 'errored' ? null : scoreNumber(scores?.['episode scores']['Main Score']),
    error,
  };
}

/**
 * What the index shows of one episode (its "meta" and "episode scores", and error.json when present; loaded
 * through the episode, so scores eval already read are not read again). A file that does not parse makes the
 * episode `errored` with the parse error as its message (the index shows it rather than failing); file-system
 * errors are thrown.
 */
export async function readEpisodeRow(e: Episode): Promise<EpisodeRow> {
  const row = readEpisodeRowSync(e);
  if (row !== undefined) return row;
  try {
    return rowWith(e, e.episodeScoresSync(), await errorText(e));
  } catch (err) {
    return parseErrorRow(e, err);
  }
}

/**
 * {@link readEpisodeRow} without awaiting, for an episode that needs no file beyond its episode scores (one without
 * error.json); undefined for the others. The index builds 10k rows: an await each costs a turn of the event loop.
 */
export function readEpisodeRowSync(e: Episode): EpisodeRow | undefined {
  if (e.has('error.json')) return undefined;
  try {
    return rowWith(e, e.episodeScoresSync(), null);
  } catch (err) {
    return parseErrorRow(e, err);
  }
}

/** The row of an episode whose file does not parse: errored, with the parse error (file-system errors are thrown). */
function parseErrorRow(e: Episode, err: unknown): EpisodeRow {
  if (!hasCode(err, 'file_format')) throw err;
  return { ...baseRow(e, undefined), outcome: 'errored', mainScore: null, error: err.message };
}
