import { expect, it } from 'vitest';
import { Xoshiro128 } from './bootstrap.js';

it('sumDraws draws what n calls of nextInt(n) draw and leaves the generator where they do', () => {
  const n = 57;
  const x = Float64Array.from({ length: n }, (_, i) => i * 1.5);
  const xCount = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const y = Float64Array.from({ length: n }, (_, i) => 100 - i);
  const yCount = Float64Array.from({ length: n }, () => 1);
  const inlined = new Xoshiro128(42);
  const stepwise = new Xoshiro128(42);
  for (let round = 0; round < 3; round++) {
    const out = new Float64Array(4);
    inlined.sumDraws(n, x, xCount, y, yCount, out);
    const want = new Float64Array(4);
    for (let i = 0; i < n; i++) {
      const k = stepwise.nextInt(n);
      want[0] = (want[0] as number) + (x[k] as number);
      want[1] = (want[1] as number) + (xCount[k] as number);
      want[2] = (want[2] as number) + (y[k] as number);
      want[3] = (want[3] as number) + (yCount[k] as number);
    }
    expect([...out]).toEqual([...want]);
  }
  expect(inlined.nextUint32()).toBe(stepwise.nextUint32());
});
