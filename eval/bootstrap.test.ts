import { expect, it } from 'vitest';
import { clemscoreOf, columnsOf, type GameColumns, resampleGame, Xoshiro128 } from './bootstrap.js';
import type { GameEpisodes } from './episodes.js';

it('resampleModel draws what nextInt draws, game after game, and computes what resampleGame and clemscoreOf compute', () => {
  const game = (n: number, nanEvery: number): GameColumns =>
    columnsOf({ played: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1)), main: Array.from({ length: n }, (_, i) => (i % nanEvery === 0 ? Number.NaN : 100 - i * 1.5)) } as GameEpisodes);
  const columns = [game(57, 3), game(12, 5), game(1, 2)];
  const resamples = 40;
  const played = columns.map(() => new Float64Array(resamples));
  const quality = columns.map(() => new Float64Array(resamples));
  const clem = new Float64Array(resamples);
  const inlined = new Xoshiro128(42);
  inlined.resampleModel(columns, resamples, played, quality, clem);

  const stepwise = new Xoshiro128(42);
  for (let r = 0; r < resamples; r++) {
    const p = new Float64Array(columns.length);
    const q = new Float64Array(columns.length);
    columns.forEach((c, gi) => {
      const draw = Int32Array.from({ length: c.played.length }, () => stepwise.nextInt(c.played.length));
      const want = resampleGame(c, draw);
      p[gi] = want.played;
      q[gi] = want.quality;
      expect([played[gi]?.[r], quality[gi]?.[r]]).toEqual([want.played, want.quality]);
    });
    expect(clem[r]).toBe(clemscoreOf(p, q));
  }
  expect(inlined.nextUint32()).toBe(stepwise.nextUint32());
  // The third game's single episode has a NaN Main Score: no resample of it has a Quality.
  expect(quality[2]?.every(Number.isNaN)).toBe(true);
});
