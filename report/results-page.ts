import path from 'node:path';
import { writeFileAtomicAsync } from '../base/atomic.js';
import { readResults } from '../core/results-store/index.js';
import type { Interval, ModelIntervals } from '../eval/bootstrap.js';
import type { EvalSummary } from '../eval/evaluate.js';
import { seriesColour } from './colours.js';
import { collectHistogramValues, histogramTitle, type HistogramSpec } from './histograms.js';
import { formatInterval, formatNumber, html, type SafeHtml } from './html.js';
import { renderPage } from './page.js';
import { clemscoreChart, histogramChart, playedQualityScatter } from './plots.js';
import { TABLE_SORT_SCRIPT } from './scripts.js';

/** The parts of eval's summary the results page shows. */
export type ResultsSummary = Pick<EvalSummary, 'models' | 'extra' | 'errored' | 'episodes' | 'table'> &
  Partial<Pick<EvalSummary, 'intervals' | 'duplicates' | 'unplaced' | 'results'>>;

export interface BuildResultsOptions {
  /**
   * The results root: results.html is written here, and the histograms' scores.json files are read here unless
   * the summary carries the episodes eval read.
   */
  resultsDir: string;
  /** Where to write the page (default `<resultsDir>/results.html`). */
  outFile?: string;
  /** Histograms of episode scores to draw (see histogramsFromGameSpecs); none by default. */
  histograms?: readonly HistogramSpec[];
  /** Coverage of the summary's intervals, for labels (default 0.95). */
  level?: number;
  /** Link index.html (next to the page) and its filtered views (default true; buildIndex writes it). */
  linkIndex?: boolean;
}

/** Per-episode values for each histogram (same order as the specs), keyed by model. */
export type HistogramData = readonly { spec: HistogramSpec; byModel: ReadonlyMap<string, readonly number[]> }[];

const num = (x: number | null | undefined): SafeHtml => html`<td class="num">${formatNumber(x)}</td>`;

function intervalCell(i: Interval | undefined): SafeHtml {
  if (i === undefined || i.low === null || i.high === null) return html`<td class="num">–</td>`;
  return html`<td class="num" data-v="${i.low}">${formatInterval(i.low, i.high)}</td>`;
}

function indexLink(hasIndex: boolean, count: number, filter: Record<string, string>): SafeHtml {
  if (!hasIndex || count === 0) return html`${count}`;
  const hash = Object.entries(filter).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return html`<a href="index.html#${hash}">${count}</a>`;
}

function modelTable(summary: ResultsSummary, ivOf: (m: string) => ModelIntervals | undefined, ciLabel: string): SafeHtml {
  const ci = summary.intervals !== undefined;
  const rows = summary.models.map(
    (m) => html`<tr><td>${m.model}</td>${num(m.clemscore)}${ci ? intervalCell(ivOf(m.model)?.clemscore) : ''}${num(m.averagePlayed)}${num(m.averageQuality)}<td class="num">${m.games.reduce((s, g) => s + g.episodes, 0)}</td></tr>`,
  );
  return html`<table class="sortable" id="clemscores"><thead><tr><th class="sortable">model</th><th class="sortable num">clemscore</th>${ci ? html`<th class="sortable num">${ciLabel}</th>` : ''}<th class="sortable num">Average % Played</th><th class="sortable num">Average Quality Score</th><th class="sortable num">episodes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function gameTable(summary: ResultsSummary, ivOf: (m: string) => ModelIntervals | undefined, ciLabel: string, hasIndex: boolean): SafeHtml {
  const ci = summary.intervals !== undefined;
  const rows = summary.models.flatMap((m) =>
    m.games.map((g) => {
      const gi = ivOf(m.model)?.games.find((x) => x.game === g.game);
      return html`<tr><td>${m.model}</td><td>${g.game}</td><td class="num">${g.episodes}</td><td class="num">${indexLink(hasIndex, g.errored, { outcome: 'errored', game: g.game, model: m.model })}</td>${num(g.played)}${ci ? intervalCell(gi?.played) : ''}${num(g.quality)}${ci ? intervalCell(gi?.quality) : ''}${num(g.qualityStd)}</tr>`;
    }),
  );
  const ciHead = ci ? html`<th class="sortable num">${ciLabel}</th>` : '';
  return html`<table class="sortable" id="games"><thead><tr><th class="sortable">model</th><th class="sortable">game</th><th class="sortable num">episodes</th><th class="sortable num">errored</th><th class="sortable num">% Played</th>${ciHead}<th class="sortable num">Quality Score</th>${ciHead}<th class="sortable num">Quality Score (std)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function extraTable(summary: ResultsSummary): SafeHtml {
  if (summary.extra.length === 0) return html``;
  const rows = summary.extra.map((e) => html`<tr><td>${e.model}</td><td>${e.game}</td><td>${e.metric}</td>${num(e.mean)}<td class="num">${e.n}</td></tr>`);
  return html`<h3>Game-specific metrics (mean over episodes where the metric is a number)</h3><table class="sortable" id="extra"><thead><tr><th class="sortable">model</th><th class="sortable">game</th><th class="sortable">metric</th><th class="sortable num">mean</th><th class="sortable num">n</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function clemcoreTable(summary: ResultsSummary): SafeHtml {
  const { columns, rows } = summary.table;
  return html`<details><summary>results.csv as clemcore writes it (${rows.length} row(s), ${columns.length} column(s))</summary><div style="overflow-x:auto"><table id="clemcore"><thead><tr><th></th>${columns.map((c) => html`<th class="num">${c}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr><td>${r.model}</td>${r.values.map((v) => num(v))}</tr>`,
  )}</tbody></table></div></details>`;
}

function legend(models: readonly string[], colourOf: (m: string) => string): SafeHtml {
  return html`<div class="legend">${models.map((m) => html`<span><span class="swatch" style="--c:${colourOf(m)}"></span>${m}</span>`)}</div>`;
}

/** Renders results.html from eval's summary and the histogram data (already read). */
export function renderResults(summary: ResultsSummary, histograms: HistogramData, options: { level?: number; hasIndex: boolean; title?: string }): string {
  const models = summary.models.map((m) => m.model);
  const colourOf = (m: string): string => seriesColour(Math.max(0, models.indexOf(m)));
  const ivOf = (m: string): ModelIntervals | undefined => summary.intervals?.find((i) => i.model === m);
  const ciLabel = `${Math.round((options.level ?? 0.95) * 100)}% CI`;
  const games = [...new Set(summary.models.flatMap((m) => m.games.map((g) => g.game)))].sort();
  const erroredTotal = summary.errored.reduce((s, c) => s + c.errored, 0);

  const bars = clemscoreChart(
    summary.models.map((m) => {
      const iv = ivOf(m.model)?.clemscore;
      return { model: m.model, colour: colourOf(m.model), value: m.clemscore, low: iv?.low ?? null, high: iv?.high ?? null };
    }),
    ciLabel,
  );
  const scatterOf = (title: string, pick: (m: ResultsSummary['models'][number]) => { played: number | null; quality: number | null } | undefined): SafeHtml =>
    playedQualityScatter(
      title,
      summary.models.flatMap((m) => {
        const p = pick(m);
        return p === undefined ? [] : [{ model: m.model, colour: colourOf(m.model), ...p }];
      }),
    );
  const scatters = [
    scatterOf('all games (averages)', (m) => ({ played: m.averagePlayed, quality: m.averageQuality })),
    ...games.map((g) => scatterOf(g, (m) => m.games.find((x) => x.game === g))),
  ];
  const hists = histograms.map(({ spec, byModel }) => {
    const series = models.filter((m) => (byModel.get(m)?.length ?? 0) > 0).map((m) => ({ model: m, colour: colourOf(m), values: byModel.get(m) ?? [] }));
    const title = histogramTitle(spec);
    return series.length === 0 ? html`<p class="note">${title}: no episode has a number for ${spec.metric}.</p>` : html`<figure>${histogramChart(title, spec.metric, series)}</figure>`;
  });
  const notes = [
    erroredTotal > 0 ? html`<p class="note">${indexLink(options.hasIndex, erroredTotal, { outcome: 'errored' })} errored episode(s) (error.json, or no scores.json) are in no average; clemcore would drop them silently.</p>` : '',
    summary.duplicates?.length ? html`<p class="note">${summary.duplicates.length} duplicate scores.json skipped (same model, game, experiment and episode).</p>` : '',
    summary.unplaced?.length ? html`<p class="note">${summary.unplaced.length} scores.json outside the model/game/experiment/episode layout skipped.</p>` : '',
  ];
  const body = html`<h1>${options.title ?? 'Results'}</h1>
<p>${summary.episodes} scored episode(s), ${models.length} model(s), ${games.length} game(s).</p>${notes}
<h2>clemscore</h2>
${modelTable(summary, ivOf, ciLabel)}
<figure>${bars}<figcaption>clemscore = Average % Played / 100 × Average Quality Score${summary.intervals ? `; whiskers: ${ciLabel} (bootstrap over episodes)` : ''}.</figcaption></figure>
<h2>Per game</h2>
${gameTable(summary, ivOf, ciLabel, options.hasIndex)}
${legend(models, colourOf)}
<div class="plots" id="scatters">${scatters.map((s) => html`<figure>${s}</figure>`)}</div>
${extraTable(summary)}
${hists.length > 0 ? html`<h2>Distributions</h2><div class="plots" id="histograms">${hists}</div>` : ''}
<h2>clemcore table</h2>
${clemcoreTable(summary)}`;
  const nav = options.hasIndex ? [{ href: 'index.html', label: 'all episodes' }] : [];
  return renderPage({ title: options.title ?? 'Results', nav, body, scripts: [TABLE_SORT_SCRIPT] });
}

/**
 * Writes `results.html` (clemscore table and per-game table with intervals when the summary has them, the clemcore
 * results table, and inline-SVG plots: clemscore with interval whiskers, % Played against Quality per game, and the
 * histograms asked for in `options.histograms`, read from the episodes' scores.json). Returns the path written
 * (atomically). Throws FileFormatError for an unreadable scores.json.
 */
export async function buildResultsPage(summary: ResultsSummary, options: BuildResultsOptions): Promise<string> {
  const root = path.resolve(options.resultsDir);
  const specs = options.histograms ?? [];
  const episodes = specs.length === 0 ? [] : (summary.results ?? (await readResults(root))).episodes;
  const values = await collectHistogramValues(episodes, specs, summary.models.map((m) => m.model));
  const data = specs.map((spec, i) => ({ spec, byModel: values[i] ?? new Map<string, number[]>() }));
  const out = options.outFile ?? path.join(root, 'results.html');
  const page = renderResults(summary, data, { ...(options.level !== undefined ? { level: options.level } : {}), hasIndex: options.linkIndex ?? true });
  await writeFileAtomicAsync(out, page);
  return out;
}
