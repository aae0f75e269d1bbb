import { type BootstrapOptions, type GameColumns, type Interval, Xoshiro128, clemscoreOf, columnsOf, drawIndices, percentileInterval, resampleGame, seedFor } from './bootstrap.js';
import { scoreModel } from './clemscore.js';
import { type GameEpisodes, type ModelEpisodes, sortedNames, subsetGame } from './episodes.js';
import { roundHalfEven } from './numeric.js';

/**
 * Paired comparison of two models on the instances both played: episodes are matched by (game, experiment,
 * episode) folder names, so both runs must use the same instances and layout. Point estimates are clemcore's
 * (rounded at each stage) on the paired episodes only; the interval of each difference resamples the pairs within
 * each game, the same draw for both models, so instance difficulty cancels out.
 */

export interface Difference {
  a: number | null;
  b: number | null;
  /** a − b, rounded to 2 decimals; null if either side is null. */
  diff: number | null;
  /** Percentile interval of a − b over paired resamples (unrounded). */
  interval: Interval;
  /** Fraction of resamples where a > b (ties count half); null without resamples. */
  probabilityAGreater: number | null;
}

export interface GameComparison {
  game: string;
  pairedEpisodes: number;
  onlyInA: number;
  onlyInB: number;
  played: Difference;
  quality: Difference;
}

export interface ModelComparison {
  a: string;
  b: string;
  clemscore: Difference;
  /** Games both models played, by name. */
  games: GameComparison[];
  gamesOnlyInA: string[];
  gamesOnlyInB: string[];
  resamples: number;
  /** Coverage of the intervals. */
  level: number;
}

const nn = (x: number): number | null => (Number.isNaN(x) ? null : x);

function pairIndices(a: GameEpisodes, b: GameEpisodes): { ia: number[]; ib: number[] } {
  const inB = new Map(b.keys.map((k, i) => [k, i]));
  const ia: number[] = [];
  const ib: number[] = [];
  a.keys.forEach((k, i) => {
    const j = inB.get(k);
    if (j !== undefined) {
      ia.push(i);
      ib.push(j);
    }
  });
  return { ia, ib };
}

function difference(a: number, b: number, samples: Float64Array, level: number): Difference {
  let greater = 0;
  let counted = 0;
  for (const d of samples) {
    if (Number.isNaN(d)) continue;
    counted++;
    greater += d > 0 ? 1 : d === 0 ? 0.5 : 0;
  }
  return {
    a: nn(a),
    b: nn(b),
    diff: nn(roundHalfEven(a - b)),
    interval: percentileInterval(samples, level),
    probabilityAGreater: counted === 0 ? null : greater / counted,
  };
}

/** Compares `a` with `b` on their common episodes. Deterministic for a given seed. */
export function compare(a: ModelEpisodes, b: ModelEpisodes, options: BootstrapOptions & { games?: readonly string[] } = {}): ModelComparison {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const wanted = (g: string): boolean => options.games === undefined || options.games.includes(g);
  const namesA = sortedNames([...a.games.keys()].filter(wanted));
  const namesB = sortedNames([...b.games.keys()].filter(wanted));
  const common = namesA.filter((g) => b.games.has(g));
  const pairedA: ModelEpisodes = { model: a.model, games: new Map() };
  const pairedB: ModelEpisodes = { model: b.model, games: new Map() };
  const counts = new Map<string, { paired: number; onlyInA: number; onlyInB: number }>();
  for (const g of common) {
    const ga = a.games.get(g) as GameEpisodes;
    const gb = b.games.get(g) as GameEpisodes;
    const { ia, ib } = pairIndices(ga, gb);
    counts.set(g, { paired: ia.length, onlyInA: ga.keys.length - ia.length, onlyInB: gb.keys.length - ib.length });
    if (ia.length === 0) continue;
    pairedA.games.set(g, subsetGame(ga, ia));
    pairedB.games.set(g, subsetGame(gb, ib));
  }
  const scoredA = scoreModel(pairedA);
  const scoredB = scoreModel(pairedB);

  const games = sortedNames(pairedA.games.keys());
  const rng = new Xoshiro128(seedFor(options.seed ?? 0, `${a.model}\u0000${b.model}`));
  const colsA = games.map((g) => columnsOf(pairedA.games.get(g) as GameEpisodes));
  const colsB = games.map((g) => columnsOf(pairedB.games.get(g) as GameEpisodes));
  const draws = games.map((g) => new Int32Array((pairedA.games.get(g) as GameEpisodes).keys.length));
  const dPlayed = games.map(() => new Float64Array(resamples));
  const dQuality = games.map(() => new Float64Array(resamples));
  const dClem = new Float64Array(resamples);
  const pa = new Float64Array(games.length);
  const qa = new Float64Array(games.length);
  const pb = new Float64Array(games.length);
  const qb = new Float64Array(games.length);
  for (let r = 0; r < resamples; r++) {
    for (let gi = 0; gi < games.length; gi++) {
      const draw = draws[gi] as Int32Array;
      drawIndices(rng, draw);
      const ra = resampleGame(colsA[gi] as GameColumns, draw);
      const rb = resampleGame(colsB[gi] as GameColumns, draw);
      pa[gi] = ra.played;
      qa[gi] = ra.quality;
      pb[gi] = rb.played;
      qb[gi] = rb.quality;
      (dPlayed[gi] as Float64Array)[r] = ra.played - rb.played;
      (dQuality[gi] as Float64Array)[r] = ra.quality - rb.quality;
    }
    dClem[r] = clemscoreOf(pa, qa) - clemscoreOf(pb, qb);
  }

  const gameComparisons: GameComparison[] = common.map((g) => {
    const c = counts.get(g) as { paired: number; onlyInA: number; onlyInB: number };
    const gi = games.indexOf(g);
    const sa = scoredA.games.find((x) => x.game === g);
    const sb = scoredB.games.find((x) => x.game === g);
    const empty = new Float64Array(0);
    return {
      game: g,
      pairedEpisodes: c.paired,
      onlyInA: c.onlyInA,
      onlyInB: c.onlyInB,
      played: difference(sa?.played ?? Number.NaN, sb?.played ?? Number.NaN, gi < 0 ? empty : (dPlayed[gi] as Float64Array), level),
      quality: difference(sa?.quality ?? Number.NaN, sb?.quality ?? Number.NaN, gi < 0 ? empty : (dQuality[gi] as Float64Array), level),
    };
  });
  return {
    a: a.model,
    b: b.model,
    clemscore: difference(scoredA.clemscore, scoredB.clemscore, dClem, level),
    games: gameComparisons,
    gamesOnlyInA: namesA.filter((g) => !b.games.has(g)),
    gamesOnlyInB: namesB.filter((g) => !a.games.has(g)),
    resamples,
    level,
  };
}
