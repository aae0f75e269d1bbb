import { html, type HtmlValue, type SafeHtml } from './html.js';

/**
 * The small amount of plotting the results page needs, as inline SVG built from escaped parts: linear scales,
 * "nice" ticks and axes. Coordinates are rounded to 0.1 px so pages stay small and reproducible.
 */

export interface Scale {
  (x: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
}

/** A linear map from `domain` to `range`; a zero-width domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const f = ((x: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((x - d0) / (d1 - d0)) * (r1 - r0))) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** Round, evenly spaced ticks covering [min, max] (1, 2 or 5 times a power of ten apart), about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/**
 * Ticks of a count axis from 0 that reach at least `max`: whole, round steps (1, 2, 5 × 10^k), the last tick at or
 * above the tallest bar, so no bar rises above the axis.
 */
export function countTicks(max: number, count = 3): number[] {
  const top = Math.max(1, Math.ceil(max));
  const raw = top / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const ticks: number[] = [];
  for (let t = 0; ticks.length === 0 || (ticks.at(-1) as number) < top; t += step) ticks.push(t);
  return ticks;
}

/** A coordinate for an attribute. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** A tick label: integers as they are, else up to 2 decimals. */
export function tickLabel(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(2)));
}

/** The bottom axis at `y` with ticks and grid lines up to `top`. */
export function xAxis(scale: Scale, ticks: readonly number[], y: number, top: number, label?: string): SafeHtml {
  const [r0, r1] = scale.range;
  return html`<g class="grid">${ticks.map((t) => html`<line x1="${px(scale(t))}" x2="${px(scale(t))}" y1="${px(top)}" y2="${px(y)}"/>`)}</g>
<g class="axis"><line x1="${px(r0)}" x2="${px(r1)}" y1="${px(y)}" y2="${px(y)}"/>${ticks.map(
    (t) => html`<line x1="${px(scale(t))}" x2="${px(scale(t))}" y1="${px(y)}" y2="${px(y + 4)}"/><text x="${px(scale(t))}" y="${px(y + 15)}" text-anchor="middle">${tickLabel(t)}</text>`,
  )}</g>${label ? html`<text x="${px((r0 + r1) / 2)}" y="${px(y + 30)}" text-anchor="middle">${label}</text>` : ''}`;
}

/** The left axis at `x` with ticks and grid lines up to `right`. */
export function yAxis(scale: Scale, ticks: readonly number[], x: number, right: number, label?: string): SafeHtml {
  const [r0, r1] = scale.range;
  return html`<g class="grid">${ticks.map((t) => html`<line x1="${px(x)}" x2="${px(right)}" y1="${px(scale(t))}" y2="${px(scale(t))}"/>`)}</g>
<g class="axis"><line x1="${px(x)}" x2="${px(x)}" y1="${px(r0)}" y2="${px(r1)}"/>${ticks.map(
    (t) => html`<line x1="${px(x - 4)}" x2="${px(x)}" y1="${px(scale(t))}" y2="${px(scale(t))}"/><text x="${px(x - 6)}" y="${px(scale(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
  )}</g>${label ? html`<text transform="translate(${px(x - 34)} ${px((r0 + r1) / 2)}) rotate(-90)" text-anchor="middle">${label}</text>` : ''}`;
}

/** An `<svg>` element of the given size holding `content`, with an accessible label. */
export function svg(width: number, height: number, label: string, content: HtmlValue): SafeHtml {
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">${content}</svg>`;
}

/** Shortens a label to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
