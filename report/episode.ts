import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { hasCode } from '../base/errors.js';
import { parseScoresText, type ScoresRead, type ScoreValue } from '../registry/scores.js';
import type { EpisodeFolder } from './scan.js';
import { ErrorFileReadSchema, readJsonFile } from './sources.js';

/**
 * One episode as the index lists it. The outcome follows eval's definition of errored (collect.ts): an episode
 * folder with error.json, or without scores.json, is `errored` — shown, never dropped.
 */
export type EpisodeOutcome = 'success' | 'lose' | 'aborted' | 'errored' | 'unknown';
export const OUTCOMES: readonly EpisodeOutcome[] = ['success', 'lose', 'aborted', 'errored', 'unknown'];

export interface EpisodeRow {
  /** Folder relative to the results root, `/`-separated. */
  dir: string;
  model: string;
  game: string;
  experiment: string;
  /** game_id from scores.json meta, else the number in the folder name, else the folder name. */
  gameId: string;
  outcome: EpisodeOutcome;
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

/** The outcome from the framework's episode scores (Aborted first, as clemcore's scorer sets them). */
export function outcomeFromScores(episode: Readonly<Record<string, unknown>>): EpisodeOutcome {
  const flag = (k: string): boolean => episode[k] === 1 || episode[k] === true;
  if (flag('Aborted')) return 'aborted';
  if (flag('Success')) return 'success';
  if (flag('Lose')) return 'lose';
  return 'unknown';
}

function gameIdOf(folder: EpisodeFolder, scores: ScoresRead | undefined): string {
  const id = scores?.meta?.game_id;
  if (typeof id === 'number' || typeof id === 'string') return String(id);
  const digits = /(\d+)$/.exec(folder.episode);
  return digits ? String(Number(digits[1])) : folder.episode;
}

function linkOf(folder: EpisodeFolder): string | null {
  const file = folder.files.has('transcript.html')
    ? 'transcript.html'
    : folder.files.has('interactions.json')
      ? 'interactions.json'
      : folder.files.has('error.json')
        ? 'error.json'
        : null;
  return file === null ? null : [...folder.rel, file].join('/');
}

async function errorText(file: string): Promise<string> {
  const e = await readJsonFile(file, ErrorFileReadSchema);
  return [e.error, e.message].filter((x) => x !== undefined && x !== '').join(': ') || 'error.json';
}

/**
 * Reads what the index shows of one episode folder (scores.json, and error.json when present). A file that does not
 * parse makes the episode `errored` with the parse error as its message (the index shows it rather than failing);
 * file-system errors are thrown.
 */
export async function readEpisodeRow(root: string, folder: EpisodeFolder): Promise<EpisodeRow> {
  try {
    return await readRow(root, folder);
  } catch (e) {
    if (!hasCode(e, 'file_format')) throw e;
    return { ...baseRow(folder, undefined), outcome: 'errored', mainScore: null, error: e.message };
  }
}

function baseRow(folder: EpisodeFolder, scores: ScoresRead | undefined): Pick<EpisodeRow, 'dir' | 'model' | 'game' | 'experiment' | 'gameId' | 'link'> {
  const meta = scores?.meta;
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
  return {
    dir: folder.rel.join('/'),
    model: folder.model,
    game: text(meta?.game_name, folder.game),
    experiment: text(meta?.experiment_name, folder.experiment),
    gameId: gameIdOf(folder, scores),
    link: linkOf(folder),
  };
}

async function readRow(root: string, folder: EpisodeFolder): Promise<EpisodeRow> {
  const at = (name: string): string => path.join(root, ...folder.rel, name);
  let scores: ScoresRead | undefined;
  if (folder.files.has('scores.json')) scores = parseScoresText(at('scores.json'), await readFile(at('scores.json'), 'utf8'));
  const hasError = folder.files.has('error.json');
  let outcome: EpisodeOutcome = 'errored';
  let error: string | null = null;
  if (hasError) error = await errorText(at('error.json'));
  else if (scores === undefined) error = folder.files.has('instance.json') ? 'no scores.json (not finished or never scored)' : 'no scores.json';
  else outcome = outcomeFromScores(scores['episode scores']);
  return {
    ...baseRow(folder, scores),
    outcome,
    mainScore: outcome === 'errored' ? null : scoreNumber(scores?.['episode scores']['Main Score']),
    error,
  };
}
