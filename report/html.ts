/**
 * HTML built from tagged templates that escape every interpolated value unless it is already {@link SafeHtml}.
 * Model text, file names and scores all pass through here, so a reply holding `<script>` shows as text: nothing
 * reaches a page unescaped by accident, only by wrapping it in `SafeHtml` on purpose (markup built here).
 */

/** Markup that is known to be safe: built by {@link html} or {@link raw}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const SPECIAL = /[&<>"']/;

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most text (names, numbers) has nothing to escape: a test is cheaper than a replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string) : text;
}

/** A value an `html` template accepts: text (escaped), numbers, markup, nothing, or a list of those. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** Tagged template: literal parts are kept, interpolated values are escaped (see {@link HtmlValue}). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks markup built elsewhere in report/ (CSS, scripts, SVG assembled from escaped parts) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins markup pieces. */
export function join(parts: readonly HtmlValue[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(separator));
}

/**
 * Embeds data for a page script as JSON inside `<script type="application/json">`. `<`, `>` and `&` are written
 * as `\u003c` etc., so no string in the data can close the script element.
 */
export function jsonScript(id: string, data: unknown): SafeHtml {
  const text = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return html`<script type="application/json" id="${id}">${raw(text)}</script>`;
}

/** A number for a table cell: fixed decimals, `–` for none. */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/**
 * An interval `[low, high]` with both ends in one format: whole numbers when both are, else both with `digits`
 * decimals (`[87.50, 100.00]`, never `[87.50, 100]`).
 */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 2): string {
  if (low === null || low === undefined || high === null || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return '–';
  return Number.isInteger(low) && Number.isInteger(high) ? `[${low}, ${high}]` : `[${low.toFixed(digits)}, ${high.toFixed(digits)}]`;
}

/** A relative URL from `/`-separated path parts: each part percent-encoded (`..` kept), so `#`, `?` and spaces in
 * folder names do not break links. */
const URL_SAFE_PATH = /^[A-Za-z0-9\-_.!~*'()/]*$/;

export function hrefOf(relPath: string): string {
  // encodeURIComponent leaves exactly these characters alone: such a path needs no work (most do not).
  if (URL_SAFE_PATH.test(relPath)) return relPath;
  return relPath
    .split('/')
    .map((p) => (p === '..' || p === '.' ? p : encodeURIComponent(p)))
    .join('/');
}
