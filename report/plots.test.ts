import { describe, expect, it } from 'vitest';
import { binsFor, clemscoreChart, countBins, histogramChart, playedQualityScatter } from './plots.js';
import { countTicks, linearScale, niceTicks } from './svg.js';
import { formatInterval } from './html.js';

describe('svg helpers', () => {
  it('maps linearly and picks round ticks', () => {
    const s = linearScale([0, 100], [10, 210]);
    expect([s(0), s(50), s(100)]).toEqual([10, 110, 210]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('histogram bins', () => {
  it('uses one bin per whole number for small integers', () => {
    const bins = binsFor([3, 5, 5, 7]);
    expect(bins).toEqual({ start: 2.5, width: 1, count: 5, integer: true });
    expect(countBins([3, 5, 5, 7], bins)).toEqual([1, 0, 2, 0, 1]);
  });

  it('uses round bins for real values and puts the maximum in the last bin', () => {
    const values = [0, 0.05, 0.5, 0.99, 1];
    const bins = binsFor(values);
    expect(bins.integer).toBe(false);
    expect(bins.width).toBeCloseTo(0.1);
    const counts = countBins(values, bins);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(counts[0]).toBe(2);
  });
});

describe('plots', () => {
  it('draws a bar and whiskers per model, and says when there is no score', () => {
    const out = clemscoreChart(
      [
        { model: 'a<b', colour: '#000', value: 40, low: 30, high: 50 },
        { model: 'c', colour: '#111', value: null, low: null, high: null },
      ],
      '95% CI',
    ).value;
    expect(out.match(/class="bar"/g)).toHaveLength(1);
    expect(out).toContain('a&lt;b: 40 95% CI [30, 50]');
    expect(out).toContain('no clemscore');
    expect(out).not.toContain('a<b');
  });

  it('plots points that have both coordinates and counts the rest', () => {
    const out = playedQualityScatter('g', [
      { model: 'a', colour: '#000', played: 50, quality: 60 },
      { model: 'b', colour: '#111', played: 0, quality: null },
    ]).value;
    expect(out.match(/class="point"/g)).toHaveLength(1);
    expect(out).toContain('1 without quality');
  });

  it('draws one panel per series with a bar per non-empty bin', () => {
    const out = histogramChart('t', 'Questions', [
      { model: 'a', colour: '#000', values: [4, 4, 6] },
      { model: 'b', colour: '#111', values: [5] },
    ]).value;
    expect(out.match(/class="bar"/g)).toHaveLength(3);
    expect(out).toContain('a: 2 episode(s) at Questions 4');
    expect(out).toContain('(n = 3)');
  });

  it('ends the count axis at or above the tallest bar', () => {
    expect(countTicks(7)).toEqual([0, 5, 10]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(41)).toEqual([0, 20, 40, 60]);
    // 7 episodes at one value: the axis reaches 10, so the bar's top (y of 7) is below the axis top (y of 10).
    const out = String(histogramChart('t', 'Questions', [{ model: 'm', colour: '#000', values: [4, 4, 4, 4, 4, 4, 4, 5] }]));
    const labels = [...out.matchAll(/<text[^>]*text-anchor="end"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(Math.max(...labels)).toBeGreaterThanOrEqual(7);
    const barTop = Math.min(...[...out.matchAll(/<rect class="bar" x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1])));
    const axisTop = Math.min(...[...out.matchAll(/<g class="grid">(?:<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"[^>]*\/>)+/g)].map((m) => Number(m[1])));
    expect(barTop).toBeGreaterThan(axisTop);
  });

  it('keeps every dot inside the scatter and apart when all models play 100%', () => {
    const points = ['a', 'b', 'c', 'd'].map((model) => ({ model, colour: '#000', played: 100, quality: 50 }));
    const out = String(playedQualityScatter('all played', points));
    const cx = [...out.matchAll(/<circle class="point" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cx).toHaveLength(4);
    expect(new Set(cx).size).toBe(4);
    for (const x of cx) expect(x + 5).toBeLessThanOrEqual(270 - 12);
  });

  it('writes both ends of an interval in one format', () => {
    expect(formatInterval(87.5, 100)).toBe('[87.50, 100.00]');
    expect(formatInterval(80, 100)).toBe('[80, 100]');
    expect(formatInterval(null, 3)).toBe('–');
    expect(String(clemscoreChart([{ model: 'm', colour: '#000', value: 95, low: 87.5, high: 100 }], '95% CI'))).toContain('95% CI [87.50, 100.00]');
  });
});
