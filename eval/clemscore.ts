import type { EpisodeTable, GameEpisodes, ModelEpisodes } from './episodes.js';
import { compareCodeUnits, sortedNames } from './episodes.js';
import { pandasMean, pandasStd, roundHalfEven } from './numeric.js';

/**
 * clemcore's clemscore (clemcore/clemeval.py `save_clem_table`, unchanged from 2.x to 3.7), step by step:
 * 1. per (game, model): `% Played` = mean(1 − Aborted)·100, `Quality Score` = mean of the Main Scores that are numbers,
 *    optional `Quality Score (std)` (ddof 1); each rounded to 2 decimals (numpy half-to-even);
 * 2. per model over its games: `Average % Played` and `Average Quality Score` = mean of the rounded per-game values,
 *    NaN ones skipped (a game played 0% has no quality and is left out), rounded;
 * 3. clemscore = round((Average % Played / 100) × Average Quality Score, 2).
 * Values here are NaN where clemcore's table has an empty cell.
 */

export const COL_CLEMSCORE = '-, clemscore';
export const COL_AVG_PLAYED = 'all, Average % Played';
export const COL_AVG_QUALITY = 'all, Average Quality Score';
export const playedColumn = (game: string): string => `${game}, % Played`;
export const qualityColumn = (game: string): string => `${game}, Quality Score`;
export const stdColumn = (game: string): string => `${game}, Quality Score (std)`;

export interface GameScore {
  game: string;
  /** Episodes with a scores.json. */
  episodes: number;
  /** % Played, rounded; NaN if no episode has Aborted. */
  played: number;
  /** Quality Score, rounded; NaN if no Main Score is a number (e.g. 0% played). */
  quality: number;
  /** Sample std of Main Score, rounded; NaN with fewer than two numbers. */
  qualityStd: number;
  /** Whether clemcore would have a `% Played` cell (some episode logged Aborted). */
  hasPlayed: boolean;
  /** Whether clemcore would have `Quality Score` cells (some episode logged Main Score, maybe null). */
  hasQuality: boolean;
}

export interface ModelScore {
  model: string;
  clemscore: number;
  averagePlayed: number;
  averageQuality: number;
  /** Sorted by game name. */
  games: GameScore[];
}

/** Step 1 for one game. */
export function scoreGame(game: GameEpisodes): GameScore {
  return {
    game: game.game,
    episodes: game.keys.length,
    played: game.playedRows > 0 ? roundHalfEven(pandasMean(game.played) * 100) : Number.NaN,
    quality: game.mainRows > 0 ? roundHalfEven(pandasMean(game.main)) : Number.NaN,
    qualityStd: game.mainRows > 0 ? roundHalfEven(pandasStd(game.main)) : Number.NaN,
    hasPlayed: game.playedRows > 0,
    hasQuality: game.mainRows > 0,
  };
}

/**
 * Steps 2–3 from per-game values already rounded (NaN = no value), in game-name order as pandas sums them.
 * Exported so a published results.csv can be checked against its own per-game columns.
 */
export function aggregateGames(games: readonly { played: number; quality: number }[]): {
  averagePlayed: number;
  averageQuality: number;
  clemscore: number;
} {
  const averagePlayed = roundHalfEven(pandasMean(games.map((g) => g.played)));
  const averageQuality = roundHalfEven(pandasMean(games.map((g) => g.quality)));
  return { averagePlayed, averageQuality, clemscore: roundHalfEven((averagePlayed / 100) * averageQuality) };
}

/** The clemscore of one model, from its episodes. */
export function scoreModel(model: ModelEpisodes): ModelScore {
  const games = sortedNames(model.games.keys()).map((g) => scoreGame(model.games.get(g) as GameEpisodes));
  return { model: model.model, ...aggregateGames(games), games };
}

export type SortBy = 'model' | 'clemscore';

/** Models in clemcore's row order: by name, or by clemscore descending (NaN last, ties by name; stable). */
export function sortModels(scores: readonly ModelScore[], sort: SortBy = 'model'): ModelScore[] {
  const byName = (a: ModelScore, b: ModelScore): number => compareCodeUnits(a.model, b.model);
  if (sort === 'model') return [...scores].sort(byName);
  return [...scores].sort((a, b) => {
    const an = Number.isNaN(a.clemscore);
    const bn = Number.isNaN(b.clemscore);
    if (an !== bn) return an ? 1 : -1;
    if (!an && a.clemscore !== b.clemscore) return b.clemscore - a.clemscore;
    return byName(a, b);
  });
}

export interface ClemTable {
  /** `-, clemscore` first, then `<game>, <metric>` sorted by (game, metric) with `all` sorting as a game name. */
  columns: string[];
  /** One row per model; `values[i]` belongs to `columns[i]`; NaN is an empty cell. */
  rows: { model: string; values: number[] }[];
}

/** The results table exactly as clemcore pivots it (which columns exist, their order, the row order). */
export function clemTable(scores: readonly ModelScore[], options: { std?: boolean; sort?: SortBy } = {}): ClemTable {
  const pairs = new Map<string, [string, string]>();
  const add = (game: string, metric: string): void => {
    pairs.set(`${game}, ${metric}`, [game, metric]);
  };
  for (const model of scores) {
    for (const g of model.games) {
      if (g.hasPlayed) add(g.game, '% Played');
      if (g.hasQuality) add(g.game, 'Quality Score');
      if (g.hasQuality && options.std) add(g.game, 'Quality Score (std)');
    }
    if (model.games.some((g) => g.hasPlayed)) add('all', 'Average % Played');
    if (model.games.some((g) => g.hasQuality)) add('all', 'Average Quality Score');
  }
  const sorted = [...pairs.values()].sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]));
  const columns = [COL_CLEMSCORE, ...sorted.map(([g, m]) => `${g}, ${m}`)];
  const rows = sortModels(scores, options.sort).map((model) => {
    const cells = new Map<string, number>([
      [COL_CLEMSCORE, model.clemscore],
      [COL_AVG_PLAYED, model.averagePlayed],
      [COL_AVG_QUALITY, model.averageQuality],
    ]);
    for (const g of model.games) {
      if (g.hasPlayed) cells.set(playedColumn(g.game), g.played);
      if (g.hasQuality) {
        cells.set(qualityColumn(g.game), g.quality);
        cells.set(stdColumn(g.game), g.qualityStd);
      }
    }
    return { model: model.model, values: columns.map((c) => cells.get(c) ?? Number.NaN) };
  });
  return { columns, rows };
}

/** Scores every model of `table`. */
export function scoreAll(table: EpisodeTable): ModelScore[] {
  return [...table.values()].map(scoreModel);
}
