import { resolve } from 'node:path';
import { ConfigError } from '../base/errors.js';
import type { GameModule } from '../core/game.js';
import { gameFilter, type GameSource } from '../core/game-source.js';
import { compareModels, comparisonMarkdown, evaluate, type EvalSummary, type ModelComparison } from '../eval/index.js';
import type { BootstrapOptions } from '../eval/index.js';
import { discoverGames, selectGames, type GameDiscoveryOptions } from '../registry/game-registry.js';
import type { GameSpec } from '../registry/game-spec.js';
// Not report/index.js: it also carries the transcript renderer, which eval does not use (bench P4).
import { histogramsFromGameSpecs } from '../report/histograms.js';
import { writeReport, type ReportFiles } from '../report/report.js';

export interface EvaluateResultsOptions extends GameDiscoveryOptions {
  /** The results folder; the tables and pages are written there. */
  resultsDir: string;
  /** Add `Quality Score (std)` columns. */
  std?: boolean;
  /** Row order of results.csv: by model name (default) or by clemscore. */
  sort?: 'model' | 'clemscore';
  /** Only model folders whose name contains one of these. */
  models?: readonly string[];
  /** Only these games: names, or game folders, code files or modules (whose `spec` then declares their metrics). */
  games?: readonly GameSource[];
  /** Percentile bootstrap intervals (`resamples` 0 or absent: none). */
  bootstrap?: BootstrapOptions;
  /** A paired comparison of these two model folders on the instances both played. */
  compare?: readonly [string, string];
  /** Write results.html and index.html too (default true). */
  html?: boolean;
  /** Games defined in code whose `spec` declares `eval_metrics` (the registered games' clemgame.json are read anyway). */
  modules?: readonly GameModule[];
}

export interface EvaluateResultsSummary extends EvalSummary {
  /** The pages written (absent with `html: false`). */
  pages?: ReportFiles;
  /** The comparison asked for, as data and as a Markdown table. */
  comparison?: { result: ModelComparison; markdown: string };
}

/**
 * What `clem-ts eval` does: the clemscore tables (raw.csv, results.csv, results.md, errors.csv) from the scores.json
 * files under `resultsDir`, with each game's extra metrics and histograms as its clemgame.json (or `spec` in code)
 * declares them, results.html and index.html, and an optional paired comparison. The comparison is computed first:
 * a model folder that matches nothing throws (UnknownNameError) before any file is written. Throws ConfigError for a
 * `compare` that does not name two folders.
 */
export async function evaluateResults(opts: EvaluateResultsOptions): Promise<EvaluateResultsSummary> {
  const resultsDir = resolve(opts.resultsDir);
  // The game that wins each name (code first, then an earlier registry over a later one) declares metrics and histograms.
  const registered: GameSpec[] = selectGames('all', discoverGames(opts));
  const only = opts.games ? await Promise.all(opts.games.map((g) => gameFilter(g, opts))) : undefined;
  const modules = [...(only ?? []).flatMap((f) => (f.module ? [f.module] : [])), ...(opts.modules ?? [])];
  const inCode = modules.flatMap((m) => (m.spec ? [{ ...m.spec, roles: [...m.spec.roles] } as GameSpec] : []));
  const specs = [...new Map([...inCode, ...registered].reverse().map((g) => [g.game_name, g])).values()];
  const games = only ? { games: only.map((f) => f.name) } : {};
  const bootstrap = opts.bootstrap && (opts.bootstrap.resamples ?? 1) > 0 ? opts.bootstrap : undefined;
  let comparison: EvaluateResultsSummary['comparison'];
  if (opts.compare) {
    if (opts.compare.length !== 2) throw new ConfigError(`compare takes exactly two model folder names, got ${opts.compare.length}`);
    const [a, b] = opts.compare;
    const result = await compareModels({ resultsDir, a, b, ...games, bootstrap: bootstrap ?? { seed: opts.bootstrap?.seed ?? 0 } });
    comparison = { result, markdown: comparisonMarkdown(result) };
  }
  const extraMetrics = Object.fromEntries(specs.flatMap((g) => (g.eval_metrics ? [[g.game_name, g.eval_metrics]] : [])));
  const summary = await evaluate({
    resultsDir,
    std: opts.std === true,
    sort: opts.sort ?? 'model',
    ...(opts.models ? { models: opts.models } : {}),
    ...games,
    ...(bootstrap ? { bootstrap } : {}),
    extraMetrics,
  });
  let pages: ReportFiles | undefined;
  if (opts.html !== false) {
    // Transcripts are transcribe's job; the index links each episode's transcript when it exists. An unfiltered eval
    // read every episode already: the pages reuse what it read.
    const everything = opts.models === undefined && opts.games === undefined;
    pages = await writeReport({ resultsDir, summary, histograms: histogramsFromGameSpecs(specs), transcripts: false, ...(everything ? { results: summary.results } : {}) });
  }
  return { ...summary, ...(pages ? { pages } : {}), ...(comparison ? { comparison } : {}) };
}
