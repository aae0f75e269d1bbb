import { describe, expect, it } from 'vitest';
import { pandasMean, pandasStd, percentileSelect, percentileSorted, pythonFloatRepr, rint, roundHalfEven } from './numeric.js';

describe('roundHalfEven = numpy.round', () => {
  // Expected values are numpy 1.24's np.round(x, 2), checked on this machine.
  it('sends a true tie to the even neighbour', () => {
    expect(roundHalfEven(0.125)).toBe(0.12); // half-up would say 0.13
    expect(roundHalfEven(0.375)).toBe(0.38);
    expect(roundHalfEven(-0.125)).toBe(-0.12);
    expect([0.5, 1.5, 2.5, -2.5].map(rint)).toEqual([0, 2, 2, -2]);
  });

  it('scales in binary like numpy, not decimally like Python round', () => {
    expect(roundHalfEven(2.675)).toBe(2.68); // Python's round(2.675, 2) is 2.67
    expect(roundHalfEven(0.135)).toBe(0.14);
    expect(roundHalfEven(26.335)).toBe(26.34);
    expect(roundHalfEven(58.333333333333336)).toBe(58.33);
    expect(roundHalfEven(Number.NaN)).toBeNaN();
  });
});

describe('pandas aggregations', () => {
  it('mean skips NaN and uses a compensated sum', () => {
    expect(pandasMean([1, Number.NaN, 2])).toBe(1.5);
    expect(pandasMean([Number.NaN])).toBeNaN();
    // A naive sum loses both 1s against 1e16; Kahan keeps them.
    expect(pandasMean([1e16, 1, 1])).toBe((1e16 + 2) / 3);
    expect((1e16 + 1 + 1) / 3).not.toBe((1e16 + 2) / 3);
  });

  it('std has ddof 1 and needs two numbers', () => {
    expect(pandasStd([100, 50, 0])).toBe(50);
    expect(pandasStd([1, 2, 3, 4])).toBeCloseTo(1.2909944487358056, 15);
    expect(pandasStd([5, Number.NaN])).toBeNaN();
  });
});

describe('pythonFloatRepr', () => {
  it('writes floats as pandas to_csv does', () => {
    const cases: [number, string][] = [
      [100, '100.0'],
      [0, '0.0'],
      [33.86, '33.86'],
      [-2.5, '-2.5'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e16, '1e+16'],
      [1234567890123456.7, '1234567890123456.8'],
      [1.2345678901234568e17, '1.2345678901234568e+17'],
      [33.333333333333336, '33.333333333333336'],
      [Number.NaN, ''],
    ];
    for (const [x, s] of cases) expect(pythonFloatRepr(x)).toBe(s);
  });
});

it('percentileSorted interpolates linearly (numpy default)', () => {
  expect(percentileSorted([1, 2, 3, 4], 50)).toBe(2.5);
  expect(percentileSorted([1, 2, 3, 4], 0)).toBe(1);
  expect(percentileSorted([0, 10], 2.5)).toBeCloseTo(0.25, 12);
  expect(percentileSorted([], 50)).toBeNaN();
});

it('percentileSelect gives percentileSorted’s value without sorting, ties and runs included', () => {
  let x = 7;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  const arrays = [
    Float64Array.from({ length: 1000 }, () => Math.round(next() * 50) / 2),
    Float64Array.from({ length: 999 }, (_, i) => i),
    Float64Array.from({ length: 1000 }, (_, i) => 1000 - i),
    Float64Array.from({ length: 17 }, () => 3),
    Float64Array.from([5]),
    Float64Array.from([2, 1]),
  ];
  for (const values of arrays) {
    const sorted = Float64Array.from(values).sort();
    for (const q of [0, 2.5, 25, 50, 97.5, 100]) expect(percentileSelect(Float64Array.from(values), q)).toBe(percentileSorted(sorted, q));
  }
  expect(percentileSelect(new Float64Array(0), 50)).toBeNaN();
});
