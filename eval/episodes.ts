import { FileFormatError } from '../base/errors.js';
import type { ScoreValue } from '../registry/scores.js';
import type { EpisodeRef } from './refs.js';

/**
 * The numbers eval keeps per episode, grouped by model and game: compact parallel arrays so 100k episodes fit in a
 * few MB. Missing or non-numeric values are NaN here (this never reaches a file).
 */

export const METRIC_ABORTED = 'Aborted';
export const METRIC_PLAYED = 'Played';
export const METRIC_MAIN_SCORE = 'Main Score';

export interface GameEpisodes {
  game: string;
  /** `experiment/episode` per episode, in the order added; pairs episodes of two models in `compare`. */
  keys: string[];
  /** 1 − Aborted per episode; NaN when the episode has no numeric Aborted. */
  played: number[];
  /** Main Score per episode; NaN when absent, null or non-numeric. */
  main: number[];
  /** Episodes that had an `Aborted` key (clemcore makes a Played row only for those). */
  playedRows: number;
  /** Episodes that had a `Main Score` key (null included). */
  mainRows: number;
  /** Game-specific metrics asked for by the caller: metric → value per episode (NaN when absent). */
  extra: Map<string, number[]>;
}

export interface ModelEpisodes {
  model: string;
  /** Keyed by game name. */
  games: Map<string, GameEpisodes>;
}

/** All models' episodes, keyed by model folder name. */
export type EpisodeTable = Map<string, ModelEpisodes>;

/**
 * A score as a number, as pandas' `to_numeric` would read it: numbers as they are, booleans 1/0, numeric strings
 * parsed; null, NaN, other strings and containers are NaN.
 */
export function toNumber(value: ScoreValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? Number.NaN : n;
  }
  return Number.NaN;
}

function emptyGame(game: string, extraMetrics: readonly string[]): GameEpisodes {
  return {
    game,
    keys: [],
    played: [],
    main: [],
    playedRows: 0,
    mainRows: 0,
    extra: new Map(extraMetrics.map((m) => [m, []])),
  };
}

/**
 * Adds one episode's scores to `table`. `extraMetrics` maps a game to the episode metrics to keep for it (read from
 * its clemgame.json by the caller). Throws FileFormatError if the scores contain `Played`, which eval derives from
 * `Aborted` (clemcore raises PlayedScoreError for the same reason).
 */
export function addEpisode(
  table: EpisodeTable,
  ref: EpisodeRef,
  episodeScores: Readonly<Record<string, ScoreValue>>,
  file: string,
  extraMetrics: Readonly<Record<string, readonly string[]>> = {},
): void {
  if (Object.hasOwn(episodeScores, METRIC_PLAYED)) {
    throw new FileFormatError(file, [`episode scores.${METRIC_PLAYED}: must not be logged by a game; eval derives it as 1 - ${METRIC_ABORTED}`]);
  }
  let model = table.get(ref.model);
  if (model === undefined) {
    model = { model: ref.model, games: new Map() };
    table.set(ref.model, model);
  }
  let game = model.games.get(ref.game);
  if (game === undefined) {
    game = emptyGame(ref.game, extraMetrics[ref.game] ?? []);
    model.games.set(ref.game, game);
  }
  game.keys.push(`${ref.experiment}/${ref.episode}`);
  const hasAborted = Object.hasOwn(episodeScores, METRIC_ABORTED);
  game.played.push(hasAborted ? 1 - toNumber(episodeScores[METRIC_ABORTED]) : Number.NaN);
  if (hasAborted) game.playedRows++;
  const hasMain = Object.hasOwn(episodeScores, METRIC_MAIN_SCORE);
  game.main.push(hasMain ? toNumber(episodeScores[METRIC_MAIN_SCORE]) : Number.NaN);
  if (hasMain) game.mainRows++;
  for (const [metric, values] of game.extra) values.push(toNumber(episodeScores[metric]));
}

/** The episodes of `game` at `indices` (repeats allowed), for paired subsets. */
export function subsetGame(game: GameEpisodes, indices: readonly number[]): GameEpisodes {
  const pick = <T>(xs: readonly T[]): T[] => indices.map((i) => xs[i] as T);
  return {
    game: game.game,
    keys: pick(game.keys),
    played: pick(game.played),
    main: pick(game.main),
    // Row counts only decide whether a column exists (and NaN cells are skipped either way), so a subset takes them
    // all-or-nothing from the whole game.
    playedRows: game.playedRows === 0 ? 0 : indices.length,
    mainRows: game.mainRows === 0 ? 0 : indices.length,
    extra: new Map([...game.extra].map(([m, v]) => [m, pick(v)])),
  };
}

/** Compares by UTF-16 code units, which is Python's string order for all names outside the astral planes. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted by {@link compareCodeUnits} (Python's order). */
export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort(compareCodeUnits);
}
