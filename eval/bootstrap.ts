import { xoshiro128State } from '../base/rng.js';
import type { GameEpisodes, ModelEpisodes } from './episodes.js';
import { sortedNames } from './episodes.js';
import { percentileSelect } from './numeric.js';

/**
 * Percentile bootstrap intervals for the clemscore and per-game % Played and Quality Score. Episodes are resampled
 * with replacement within each game (the benchmark's design fixes the games; the episodes are the sample). The
 * statistics are recomputed without clemcore's intermediate rounding (rounding would only add noise to a
 * resampling distribution); point estimates elsewhere stay clemcore's. The generator is seeded per model name, so
 * a model's interval does not change when other models are added or filtered out.
 */

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Seed of the pseudo-random generator (default 0). Same seed, same data: same intervals. */
  seed?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

/** A percentile interval; null when no resample gave a number (e.g. a game never played). */
export interface Interval {
  low: number | null;
  high: number | null;
}

export interface GameIntervals {
  game: string;
  played: Interval;
  quality: Interval;
}

export interface ModelIntervals {
  model: string;
  clemscore: Interval;
  games: GameIntervals[];
  resamples: number;
}

/** xoshiro128** seeded through splitmix32: a small, fast, well-tested 32-bit generator. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = xoshiro128State(seed);
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n), n ≤ 2^32 (multiply-shift; bias below 2^-32·n). */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }

  /**
   * The bootstrap's resampling of one model, in one call: for each of `resamples` resamples, for each game in order,
   * draws as many indices as the game has episodes (as that many calls of `nextInt(n)` would: the same indices, the
   * same state after) and writes the resample's % Played and Quality to `played[game][r]` and `quality[game][r]`
   * (NaN where nothing counted), and its unrounded clemscore ({@link clemscoreOf}) to `clem[r]`. One long loop with
   * the generator's steps inlined on local variables: eval runs it in a fresh process, where millions of short calls
   * ran mostly before the compiler optimised them (bench P4); a long loop is optimised while it runs.
   */
  resampleModel(columns: readonly GameColumns[], resamples: number, played: readonly Float64Array[], quality: readonly Float64Array[], clem: Float64Array): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const games = columns.length;
    for (let r = 0; r < resamples; r++) {
      // clemscoreOf's means over the games, summed in game order as it sums them.
      let playedSum = 0;
      let playedGames = 0;
      let qualitySum = 0;
      let qualityGames = 0;
      for (let gi = 0; gi < games; gi++) {
        const c = columns[gi] as GameColumns;
        const x = c.played;
        const xCount = c.playedCount;
        const y = c.main;
        const yCount = c.mainCount;
        const n = x.length;
        let sx = 0;
        let nx = 0;
        let sy = 0;
        let ny = 0;
        for (let i = 0; i < n; i++) {
          const m = Math.imul(s1, 5);
          const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
          const t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = (s3 << 11) | (s3 >>> 21);
          const k = Math.floor((result / 4294967296) * n);
          sx += x[k] as number;
          nx += xCount[k] as number;
          sy += y[k] as number;
          ny += yCount[k] as number;
        }
        const p = nx === 0 ? Number.NaN : (sx / nx) * 100;
        const q = ny === 0 ? Number.NaN : sy / ny;
        (played[gi] as Float64Array)[r] = p;
        (quality[gi] as Float64Array)[r] = q;
        if (!Number.isNaN(p)) {
          playedSum += p;
          playedGames++;
        }
        if (!Number.isNaN(q)) {
          qualitySum += q;
          qualityGames++;
        }
      }
      const meanPlayed = playedGames === 0 ? Number.NaN : playedSum / playedGames;
      const meanQuality = qualityGames === 0 ? Number.NaN : qualitySum / qualityGames;
      clem[r] = (meanPlayed / 100) * meanQuality;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a of a string mixed with a seed: one generator stream per model. */
export function seedFor(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A game's per-episode values as typed arrays, for the resampling loops: each value with NaN replaced by 0, and a
 * count of 1 where it is a number (0 where NaN), so a resample sums without a branch per episode (an aborted
 * episode's NaN Main Score made that branch unpredictable). Adding 0 leaves a sum bit for bit unchanged.
 */
export interface GameColumns {
  played: Float64Array;
  playedCount: Float64Array;
  main: Float64Array;
  mainCount: Float64Array;
}

export function columnsOf(game: GameEpisodes): GameColumns {
  const values = (xs: readonly number[]): Float64Array => Float64Array.from(xs, (x) => (Number.isNaN(x) ? 0 : x));
  const counts = (xs: readonly number[]): Float64Array => Float64Array.from(xs, (x) => (Number.isNaN(x) ? 0 : 1));
  return { played: values(game.played), playedCount: counts(game.played), main: values(game.main), mainCount: counts(game.main) };
}

/** Means of played·100 and main over the episodes at `draw`; NaN where nothing counted. */
export function resampleGame(game: GameColumns, draw: Int32Array): { played: number; quality: number } {
  let sp = 0;
  let np = 0;
  let sq = 0;
  let nq = 0;
  for (let i = 0; i < draw.length; i++) {
    const k = draw[i] as number;
    sp += game.played[k] as number;
    np += game.playedCount[k] as number;
    sq += game.main[k] as number;
    nq += game.mainCount[k] as number;
  }
  return { played: np === 0 ? Number.NaN : (sp / np) * 100, quality: nq === 0 ? Number.NaN : sq / nq };
}

/** Unrounded clemscore from per-game values (NaN games skipped, as clemcore does). */
export function clemscoreOf(played: ArrayLike<number>, quality: ArrayLike<number>): number {
  const mean = (xs: ArrayLike<number>): number => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      if (!Number.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n === 0 ? Number.NaN : s / n;
  };
  return (mean(played) / 100) * mean(quality);
}

/** The percentile interval of the numbers in `values` (NaN dropped). */
export function percentileInterval(values: Float64Array, level: number): Interval {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) finite[n++] = v;
  }
  if (n === 0) return { low: null, high: null };
  const tail = ((1 - level) / 2) * 100;
  const scratch = finite.subarray(0, n);
  return { low: percentileSelect(scratch, tail), high: percentileSelect(scratch, 100 - tail) };
}

/** Draws `n` indices in [0, n) into `out`. */
export function drawIndices(rng: Xoshiro128, out: Int32Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = rng.nextInt(n);
}

/** Bootstrap intervals of one model's clemscore and per-game values. Deterministic for a given seed. */
export function bootstrapModel(model: ModelEpisodes, options: BootstrapOptions = {}): ModelIntervals {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = new Xoshiro128(seedFor(options.seed ?? 0, model.model));
  const games = sortedNames(model.games.keys()).map((g) => model.games.get(g) as GameEpisodes);
  const columns = games.map(columnsOf);
  const played = games.map(() => new Float64Array(resamples));
  const quality = games.map(() => new Float64Array(resamples));
  const clem = new Float64Array(resamples);
  rng.resampleModel(columns, resamples, played, quality, clem);
  return {
    model: model.model,
    clemscore: percentileInterval(clem, level),
    games: games.map((g, gi) => ({
      game: g.game,
      played: percentileInterval(played[gi] as Float64Array, level),
      quality: percentileInterval(quality[gi] as Float64Array, level),
    })),
    resamples,
  };
}
