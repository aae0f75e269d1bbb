import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicAsync } from '../base/atomic.js';
import { INDEX_OUTCOMES, readEpisodeRow, readEpisodeRowSync, type EpisodeRow } from './episode.js';
import { escapeHtml, formatNumber, hrefOf, html, raw, type SafeHtml } from './html.js';
import { renderPage } from './page.js';
import { type ResultsRead, loadEpisodeScores, readResults } from '../core/results-store/index.js';
import { INDEX_SCRIPT, TABLE_SORT_SCRIPT } from './scripts.js';

export interface BuildIndexOptions {
  /** The results root; index.html is written here. */
  resultsDir: string;
  /** Every episode of the folder, already read (e.g. by an unfiltered eval): not listed or read again. */
  results?: ResultsRead;
  /** Rows shown at first and per "show more" (default {@link PAGE_ROWS}). */
  pageRows?: number;
}

/** Column positions the filters read (INDEX_SCRIPT's `data-col`). */
const COL = { model: 0, game: 1, experiment: 2, gameId: 3, outcome: 4, score: 5, link: 6 } as const;

const LINK_TEXT: Readonly<Record<string, string>> = { 'transcript.html': 'transcript', 'interactions.json': 'interactions', 'error.json': 'error' };

// Rows are kept to a few hundred bytes: 10k episodes make a page of a few MB that filters and sorts in well under a
// second. Colour comes from the outcome cell's class; no per-row attributes beyond that. Built by concatenation
// (every value through escapeHtml), not the html template: this runs once per episode (bench P4).
function row(r: EpisodeRow, hidden: boolean, place: PlaceCells): string {
  const file = r.link === null ? '' : r.link.slice(r.link.lastIndexOf('/') + 1);
  const link = r.link === null ? '' : `<a href="${escapeHtml(hrefOf(r.link))}">${escapeHtml(LINK_TEXT[file] ?? file)}</a>`;
  const title = r.error === null ? '' : ` title="${escapeHtml(r.error)}"`;
  return `<tr${hidden ? ' hidden' : ''}>${place.of(r)}<td class="num">${escapeHtml(r.gameId)}</td><td class="o-${r.outcome}"${title}>${r.outcome}</td><td class="num">${escapeHtml(formatNumber(r.mainScore))}</td><td>${link}</td></tr>\n`;
}

/** The model, game and experiment cells of a row, escaped once per run of rows that share them (rows come sorted). */
class PlaceCells {
  private model = '';
  private game = '';
  private experiment = '';
  private cells = '';

  of(r: EpisodeRow): string {
    if (r.model !== this.model || r.game !== this.game || r.experiment !== this.experiment || this.cells === '') {
      this.model = r.model;
      this.game = r.game;
      this.experiment = r.experiment;
      this.cells = `<td>${escapeHtml(r.model)}</td><td>${escapeHtml(r.game)}</td><td>${escapeHtml(r.experiment)}</td>`;
    }
    return this.cells;
  }
}

function select(name: string, label: string, col: number, values: readonly string[], counts: ReadonlyMap<string, number>): SafeHtml {
  return html`<label>${label} <select name="${name}" data-col="${col}"><option value="">all</option>${values.map(
    (v) => html`<option value="${v}">${v} (${counts.get(v) ?? 0})</option>`,
  )}</select></label>`;
}

function countBy(rows: readonly EpisodeRow[], key: (r: EpisodeRow) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

const sortedKeys = (m: ReadonlyMap<string, number>): string[] => [...m.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

function renderRows(rows: readonly EpisodeRow[], pageRows: number): string {
  const place = new PlaceCells();
  return rows.map((r, i) => row(r, i >= pageRows, place)).join('');
}

/** Rows shown at first and per "show more" click: a 10k-row table takes seconds to lay out, 500 rows do not. */
export const PAGE_ROWS = 500;

/** Renders index.html from episode rows (in the order given). `hasResults`: link results.html. */
export function renderIndex(rows: readonly EpisodeRow[], options: { title: string; hasResults: boolean; pageRows?: number }): string {
  const pageRows = options.pageRows ?? PAGE_ROWS;
  const byOutcome = countBy(rows, (r) => r.outcome);
  const byGame = countBy(rows, (r) => r.game);
  const byModel = countBy(rows, (r) => r.model);
  const outcomes = INDEX_OUTCOMES.filter((o) => byOutcome.has(o));
  const body = html`<h1>${options.title}</h1>
<p>${rows.length} episode(s): ${outcomes.map((o, i) => html`${i > 0 ? ', ' : ''}<span class="o-${o}">${byOutcome.get(o) ?? 0} ${o}</span>`)}.
${byOutcome.has('errored') ? html`<span class="note">Errored episodes (error.json, or no scores.json) are in no average; they are listed here so they are not lost.</span>` : ''}</p>
<div class="toolbar">
${select('outcome', 'outcome', COL.outcome, outcomes, byOutcome)}
${select('game', 'game', COL.game, sortedKeys(byGame), byGame)}
${select('model', 'model', COL.model, sortedKeys(byModel), byModel)}
<button type="button" id="reset">clear filters</button>
<span><b id="shown">${rows.length}</b> of ${rows.length} match</span>
</div>
<table id="episodes" class="sortable" data-page="${pageRows}">
<thead><tr><th class="sortable">model</th><th class="sortable">game</th><th class="sortable">experiment</th><th class="sortable num">game_id</th><th class="sortable">outcome</th><th class="sortable num">Main Score</th><th>view</th></tr></thead>
<tbody>
${raw(renderRows(rows, pageRows))}</tbody>
</table>
<button type="button" id="more"${rows.length <= pageRows ? raw(' hidden') : ''}>show more</button>`;
  const nav = options.hasResults ? [{ href: 'results.html', label: 'results (clemscore, plots)' }] : [];
  return renderPage({ title: options.title, nav, body, scripts: [TABLE_SORT_SCRIPT, INDEX_SCRIPT] });
}

/**
 * Writes `index.html` at the results root: every episode folder (success, lose, aborted, and errored — error.json
 * or no scores.json — never dropped) with model, game, experiment, game_id, outcome, Main Score and a link to its
 * transcript (else its interactions.json or error.json), filterable by outcome, game and model and sortable by any
 * column, in the reader's order. Returns the path written (atomically). A scores.json or error.json that does not
 * parse makes its row errored with the parse error; throws ConfigError if `resultsDir` is not a folder and the
 * file-system error if it cannot be read.
 */
export async function buildIndex(options: BuildIndexOptions): Promise<string> {
  const root = path.resolve(options.resultsDir);
  const { episodes } = options.results ?? (await readResults(root));
  await loadEpisodeScores(episodes);
  const rows: EpisodeRow[] = [];
  for (const e of episodes) rows.push(readEpisodeRowSync(e) ?? (await readEpisodeRow(e)));
  const page = renderIndex(rows, { title: `Episodes in ${path.basename(root)}`, hasResults: existsSync(path.join(root, 'results.html')), ...(options.pageRows !== undefined ? { pageRows: options.pageRows } : {}) });
  const out = path.join(root, 'index.html');
  await writeFileAtomicAsync(out, page);
  return out;
}
