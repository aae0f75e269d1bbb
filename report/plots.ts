import { formatInterval, formatNumber, html, type SafeHtml } from './html.js';
import { countTicks, linearScale, niceTicks, px, shorten, svg, tickLabel, xAxis, yAxis } from './svg.js';

/**
 * The results page's plots, as inline SVG: clemscore per model with interval whiskers, % Played against Quality
 * Score per game, and histograms of an episode metric per model. Every value may be null (no number), and such
 * values are said, not drawn.
 */

export interface ClemscoreBar {
  model: string;
  colour: string;
  value: number | null;
  low: number | null;
  high: number | null;
}

/** Horizontal bars of the clemscore (0–100) per model, with the interval as error bars when given. */
export function clemscoreChart(rows: readonly ClemscoreBar[], intervalLabel: string): SafeHtml {
  const labelWidth = Math.min(220, 12 + 6.6 * Math.max(4, ...rows.map((r) => Math.min(32, r.model.length))));
  const width = labelWidth + 420;
  const rowHeight = 26;
  const top = 8;
  const bottom = top + rows.length * rowHeight;
  const x = linearScale([0, 100], [labelWidth, width - 60]);
  const bars = rows.map((r, i) => {
    const y = top + i * rowHeight;
    const mid = y + rowHeight / 2;
    const label = html`<text x="${px(labelWidth - 8)}" y="${px(mid + 4)}" text-anchor="end"><title>${r.model}</title>${shorten(r.model, 32)}</text>`;
    if (r.value === null) return html`${label}<text x="${px(labelWidth + 4)}" y="${px(mid + 4)}" class="note">no clemscore</text>`;
    const hasCi = r.low !== null && r.high !== null;
    const whisker = hasCi
      ? html`<g stroke="#1d2430" stroke-width="1.3"><line x1="${px(x(r.low as number))}" x2="${px(x(r.high as number))}" y1="${px(mid)}" y2="${px(mid)}"/><line x1="${px(x(r.low as number))}" x2="${px(x(r.low as number))}" y1="${px(mid - 6)}" y2="${px(mid + 6)}"/><line x1="${px(x(r.high as number))}" x2="${px(x(r.high as number))}" y1="${px(mid - 6)}" y2="${px(mid + 6)}"/></g>`
      : '';
    const ci = hasCi ? ` ${intervalLabel} ${formatInterval(r.low, r.high)}` : '';
    const end = Math.max(x(r.value), hasCi ? x(r.high as number) : 0);
    return html`${label}<rect class="bar" x="${px(labelWidth)}" y="${px(y + 4)}" width="${px(x(r.value) - labelWidth)}" height="${px(rowHeight - 8)}" fill="${r.colour}" fill-opacity="0.8"><title>${r.model}: ${formatNumber(r.value)}${ci}</title></rect>${whisker}<text x="${px(end + 5)}" y="${px(mid + 4)}">${formatNumber(r.value)}</text>`;
  });
  return svg(width, bottom + 36, 'clemscore per model', html`${xAxis(x, niceTicks(0, 100, 10), bottom, top, 'clemscore')}${bars}`);
}

export interface ScatterPoint {
  model: string;
  colour: string;
  played: number | null;
  quality: number | null;
}

/** One panel: % Played (x) against Quality Score (y), both 0–100, a point per model. */
export function playedQualityScatter(title: string, points: readonly ScatterPoint[]): SafeHtml {
  const width = 270;
  const height = 250;
  const left = 46;
  const top = 24;
  const bottom = height - 40;
  const right = width - 12;
  // 0 and 100 sit one dot inside the frame, so a model that played everything is drawn whole, not on the edge.
  const pad = 9;
  const x = linearScale([0, 100], [left + pad, right - pad]);
  const y = linearScale([0, 100], [bottom - pad, top + pad]);
  const drawn = points.filter((p) => p.played !== null && p.quality !== null);
  const missing = points.length - drawn.length;
  const dots = dodge(drawn.map((p) => ({ p, cx: x(p.played as number), cy: y(p.quality as number) })), [left + 6, right - 6]).map(
    ({ p, cx, cy }) =>
      html`<circle class="point" cx="${px(cx)}" cy="${px(cy)}" r="5" fill="${p.colour}" fill-opacity="0.85" stroke="#fff"><title>${p.model}: ${formatNumber(p.played)}% played, quality ${formatNumber(p.quality)}</title></circle>`,
  );
  const note = missing > 0 ? html`<text x="${px(right)}" y="${px(top + 12)}" text-anchor="end" class="note">${missing} without quality</text>` : '';
  const ticks = niceTicks(0, 100, 5);
  return svg(
    width,
    height,
    `% played against quality, ${title}`,
    html`<text x="${px(left)}" y="14" font-weight="600">${shorten(title, 40)}</text>${xAxis(x, ticks, bottom, top, '% Played')}${yAxis(y, ticks, left, right, 'Quality Score')}${dots}${note}`,
  );
}

/**
 * Dots that would cover each other (closer than a dot's width: all models at 100% played with similar quality) are
 * spread side by side around their position, in the order given, so each stays visible.
 */
function dodge<T extends { cx: number; cy: number }>(dots: readonly T[], bounds: readonly [number, number]): T[] {
  const groups: T[][] = [];
  for (const d of dots) {
    const group = groups.find((g) => g.some((o) => Math.hypot(o.cx - d.cx, o.cy - d.cy) < 8));
    if (group) group.push(d);
    else groups.push([d]);
  }
  return groups.flatMap((g) => {
    const spread = g.map((d, i) => d.cx + (i - (g.length - 1) / 2) * 8);
    // A group spread past the frame moves inward as a whole (most often at 100% played).
    const shift = Math.max(0, bounds[0] - Math.min(...spread)) - Math.max(0, Math.max(...spread) - bounds[1]);
    return g.map((d, i) => ({ ...d, cx: (spread[i] as number) + shift }));
  });
}

export interface HistogramSeries {
  model: string;
  colour: string;
  values: readonly number[];
}

export interface Bins {
  /** Left edge of the first bin. */
  start: number;
  width: number;
  count: number;
  /** Whether bins are whole numbers (labelled by value rather than by edge). */
  integer: boolean;
}

/** Shared bins for all series: one per whole number when values are small integers, else about 10 round bins. */
export function binsFor(values: readonly number[]): Bins {
  if (values.length === 0) return { start: 0, width: 1, count: 1, integer: true };
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (values.every(Number.isInteger) && max - min <= 30) return { start: min - 0.5, width: 1, count: max - min + 1, integer: true };
  const ticks = niceTicks(min, max, 10);
  const width = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : 1;
  const start = Math.floor(min / width) * width;
  return { start, width, count: Math.max(1, Math.floor((max - start) / width) + 1), integer: false };
}

/** Counts per bin. */
export function countBins(values: readonly number[], bins: Bins): number[] {
  const counts = new Array<number>(bins.count).fill(0);
  for (const v of values) {
    const i = Math.min(bins.count - 1, Math.max(0, Math.floor((v - bins.start) / bins.width)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** Small multiples: one histogram panel per model on shared bins and a shared count axis. */
export function histogramChart(title: string, metric: string, series: readonly HistogramSeries[]): SafeHtml {
  const bins = binsFor(series.flatMap((s) => s.values));
  const counts = series.map((s) => countBins(s.values, bins));
  // The count axis ends at a round tick at or above the tallest bar, shared by every panel.
  const yTicks = countTicks(Math.max(1, ...counts.flat()));
  const yMax = yTicks.at(-1) as number;
  const width = 420;
  const panel = 120;
  const left = 46;
  const right = width - 12;
  const x = linearScale([bins.start, bins.start + bins.count * bins.width], [left, right]);
  const xTicks = bins.integer && bins.count <= 31 ? Array.from({ length: bins.count }, (_, i) => bins.start + 0.5 + i).filter((_, i, a) => a.length <= 16 || i % 2 === 0) : niceTicks(bins.start, bins.start + bins.count * bins.width, 6);
  const panels = series.map((s, k) => {
    const top = 22 + k * panel;
    const bottom = top + panel - 46;
    const y = linearScale([0, yMax], [bottom, top + 14]);
    const bars = (counts[k] ?? []).map((c, i) => {
      if (c === 0) return '';
      const x0 = x(bins.start + i * bins.width);
      const x1 = x(bins.start + (i + 1) * bins.width);
      const range = bins.integer ? tickLabel(bins.start + 0.5 + i) : `[${tickLabel(bins.start + i * bins.width)}, ${tickLabel(bins.start + (i + 1) * bins.width)})`;
      return html`<rect class="bar" x="${px(x0 + 1)}" y="${px(y(c))}" width="${px(Math.max(1, x1 - x0 - 2))}" height="${px(bottom - y(c))}" fill="${s.colour}" fill-opacity="0.8"><title>${s.model}: ${c} episode(s) at ${metric} ${range}</title></rect>`;
    });
    return html`<text x="${px(left)}" y="${px(top + 8)}" font-weight="600">${shorten(s.model, 48)} <tspan class="note">(n = ${s.values.length})</tspan></text>${xAxis(x, xTicks, bottom, top + 14)}${yAxis(y, yTicks, left, right)}${bars}`;
  });
  const height = 22 + series.length * panel + 12;
  return svg(width, height, `histogram of ${metric}, ${title}`, html`<text x="${px(left)}" y="14" font-weight="600">${shorten(title, 60)}</text>${panels}<text x="${px((left + right) / 2)}" y="${px(height - 4)}" text-anchor="middle">${metric}</text>`);
}
