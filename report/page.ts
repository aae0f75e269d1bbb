import { createHash } from 'node:crypto';
import { html, raw, type HtmlValue, type SafeHtml } from './html.js';
import { PAGE_CSS } from './style.js';

/**
 * The shell every report page shares: one self-contained HTML file (inline CSS, inline scripts, inline SVG) that
 * opens from disk with no server and no network. A Content-Security-Policy allows only the page's own scripts, by
 * hash, and no network access at all, so even text that escaped escaping could not run or load anything.
 */
export interface PageOptions {
  title: string;
  /** Breadcrumb links shown above the title (href relative to the page). */
  nav?: readonly { href: string; label: string }[];
  body: SafeHtml;
  /** Inline scripts (plain JavaScript source, built by report/, never model text). */
  scripts?: readonly string[];
}

function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** Renders a complete page. */
export function renderPage(options: PageOptions): string {
  const scripts = options.scripts ?? [];
  const scriptSrc = scripts.length > 0 ? scripts.map(scriptHash).join(' ') : "'none'";
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}; base-uri 'none'; form-action 'none'`;
  const nav: HtmlValue = options.nav?.length
    ? html`<nav>${options.nav.map((n, i) => html`${i > 0 ? ' · ' : ''}<a href="${n.href}">${n.label}</a>`)}</nav>`
    : null;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,">
<title>${options.title}</title>
<style>${raw(PAGE_CSS)}</style>
</head>
<body>
${nav}
${options.body}
${scripts.map((s) => html`<script>${raw(s)}</script>\n`)}
</body>
</html>
`;
  return page.value;
}
