import path from 'node:path';
import { makeFolder, type WriteIO, writeFileAtomicAsync } from '../base/atomic.js';
import { ConfigError, UnknownNameError } from '../base/errors.js';
import { type Episode, type ResultsRead, loadEpisodeScores, readResults, removeDeadWriterTemps } from '../core/results-store/index.js';
import { closestNames } from '../registry/closest.js';
import { type BootstrapOptions, type ModelIntervals, bootstrapModel } from './bootstrap.js';
import { type ModelScore, type SortBy, clemTable, scoreAll, sortModels } from './clemscore.js';
import { type ModelComparison, compare } from './compare.js';
import { type EpisodeTable, type ModelEpisodes, addEpisode, compareCodeUnits, sortedNames } from './episodes.js';
import { pandasMean } from './numeric.js';
import { type ErroredCount, type ExtraMetric, type ModelSummary, erroredCsv, extraCsv, intervalsCsv, resultsMarkdown } from './report.js';
import { type ErroredEpisode, type EpisodeRef, erroredEpisodes, refOf } from './refs.js';
import { RawCsvWriter, resultsCsv } from './write.js';

export interface EvaluateOptions {
  /** The results root (clemcore's `-r`); the tables are written here too unless `outDir` is given. */
  resultsDir: string;
  /** Where to write the files (default: `resultsDir`). */
  outDir?: string;
  /** Add `<game>, Quality Score (std)` columns (clemcore's `--std`). */
  std?: boolean;
  /** Row order of results.csv (clemcore's `--sort`; default `model`). */
  sort?: SortBy;
  /** Keep model folders whose name contains one of these (clemcore's `-m`); each must match some folder. */
  models?: readonly string[];
  /** Keep only these games (clemcore's `-g`); each must match some folder. */
  games?: readonly string[];
  /** Compute percentile bootstrap intervals (off when absent). */
  bootstrap?: BootstrapOptions;
  /** The file-system calls of every write (tests inject a full disk here; default node:fs/promises). */
  io?: WriteIO;
  /**
   * Game-specific episode metrics to average per model and game, by game name, e.g. from each game's
   * clemgame.json `eval_metrics`: `{ '20q': ['Success', 'Questions', 'Mean Information Gain'] }`.
   */
  extraMetrics?: Readonly<Record<string, readonly string[]>>;
}

export interface EvalFiles {
  raw: string;
  results: string;
  markdown: string;
  errors: string;
  intervals?: string;
  extra?: string;
}

export interface EvalSummary {
  files: EvalFiles;
  /** Episodes that entered the table (scores.json read, duplicates skipped). */
  episodes: number;
  /** Rows in the order of results.csv. */
  models: ModelSummary[];
  /** results.csv as data: columns and rows (null = empty cell). */
  table: { columns: string[]; rows: { model: string; values: (number | null)[] }[] };
  errored: ErroredCount[];
  erroredEpisodes: ErroredEpisode[];
  duplicates: EpisodeRef[];
  unplaced: string[];
  intervals?: ModelIntervals[];
  extra: ExtraMetric[];
  /** The episodes read (episode scores loaded), for the report pages to reuse without reading again. */
  results: ResultsRead;
}

const nn = (x: number): number | null => (Number.isNaN(x) ? null : x);

interface LoadedEpisodes {
  table: EpisodeTable;
  results: ResultsRead;
  scored: Episode[];
  errored: ErroredEpisode[];
}

/**
 * Reads the episodes (filtered) through the results store's reader into an EpisodeTable, streaming raw.csv as it
 * goes. Throws before writing anything when the selection has no scored episode.
 */
async function loadEpisodes(options: EvaluateOptions, rawCsv?: { file: string; makeFolder: boolean }): Promise<LoadedEpisodes> {
  const results = await readResults(
    options.resultsDir,
    { ...(options.games ? { games: options.games } : {}), ...(options.models ? { models: options.models } : {}) },
    { episodeScores: true },
  );
  const scored = results.episodes.filter((e) => e.has('scores.json'));
  const errored = erroredEpisodes(results.episodes);
  if (scored.length === 0) {
    throw new ConfigError(
      `no episode in ${options.resultsDir}${options.games || options.models ? ' that matches the selection' : ''} has a scores.json (${errored.length} errored or unscored episode folder(s)); nothing was written. Run \`clem-ts score\` first, or check -r.`,
    );
  }
  await loadEpisodeScores(scored);
  const table: EpisodeTable = new Map();
  // A killed eval, transcribe or run left temporary files: the selection is good, so this eval clears them.
  if (rawCsv !== undefined) removeDeadWriterTemps(results);
  // The results folder exists (the reader checked); only a separate output folder is created.
  if (rawCsv?.makeFolder) await makeFolder(path.dirname(rawCsv.file));
  const raw = rawCsv === undefined ? undefined : await RawCsvWriter.open(rawCsv.file, { folderExists: true, ...(options.io ? { io: options.io } : {}) });
  try {
    for (const episode of scored) {
      const scores = (await episode.episodeScores()) as NonNullable<Awaited<ReturnType<Episode['episodeScores']>>>;
      const ref = refOf(episode);
      addEpisode(table, ref, scores['episode scores'], episode.file('scores.json'), options.extraMetrics);
      await raw?.add(ref, scores['episode scores']);
    }
    await raw?.finish();
  } catch (e) {
    await raw?.abort();
    throw e;
  }
  return { table, results, scored, errored };
}

function summarise(scores: readonly ModelScore[], erroredByPair: Map<string, ErroredCount>): ModelSummary[] {
  return scores.map((m) => ({
    model: m.model,
    clemscore: nn(m.clemscore),
    averagePlayed: nn(m.averagePlayed),
    averageQuality: nn(m.averageQuality),
    games: m.games.map((g) => ({
      game: g.game,
      episodes: g.episodes,
      errored: erroredByPair.get(`${m.model}\u0000${g.game}`)?.errored ?? 0,
      played: nn(g.played),
      quality: nn(g.quality),
      qualityStd: nn(g.qualityStd),
    })),
  }));
}

function countErrored(table: EpisodeTable, errored: readonly ErroredEpisode[]): ErroredCount[] {
  const counts = new Map<string, ErroredCount>();
  const get = (model: string, game: string): ErroredCount => {
    const key = `${model}\u0000${game}`;
    let c = counts.get(key);
    if (c === undefined) {
      c = { model, game, episodes: 0, errored: 0, errorJson: 0, noScores: 0 };
      counts.set(key, c);
    }
    return c;
  };
  for (const m of table.values()) for (const g of m.games.values()) get(m.model, g.game).episodes += g.keys.length;
  for (const e of errored) {
    const c = get(e.model, e.game);
    c.errored++;
    if (e.reason === 'error_json') c.errorJson++;
    else c.noScores++;
    if (!e.scored) c.episodes++;
  }
  return [...counts.values()].sort((a, b) => compareCodeUnits(a.model, b.model) || compareCodeUnits(a.game, b.game));
}

function extraMeans(table: EpisodeTable): ExtraMetric[] {
  const out: ExtraMetric[] = [];
  for (const model of sortedNames(table.keys())) {
    const m = table.get(model) as ModelEpisodes;
    for (const game of sortedNames(m.games.keys())) {
      const g = m.games.get(game);
      for (const [metric, values] of g?.extra ?? []) {
        const n = values.filter((v) => !Number.isNaN(v)).length;
        out.push({ model, game, metric, mean: nn(pandasMean(values)), n });
      }
    }
  }
  return out;
}

/**
 * clem-ts eval: computes clemcore's clemscore table from every scores.json under `resultsDir` (read through the
 * results store's reader) and writes, into `outDir` (default `resultsDir`), raw.csv and results.csv in clemcore's
 * format, plus results.md, errors.csv (errored episodes per model and game), intervals.csv (with `bootstrap`) and
 * extra.csv (with `extraMetrics`). Each file is written atomically (base/atomic.ts), and only once everything is
 * computed: a failed write (a full disk) throws WriteError naming the file and the cause and leaves the previous
 * file in place. Temporary files of writers that were killed are removed first, at every level of the folder.
 *
 * Throws, writing nothing: ConfigError if `resultsDir` is not a folder or the selection has no scored episode,
 * UnknownNameError (with the closest names) for a game or model that matches nothing, FileFormatError naming an
 * unreadable scores.json.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvalSummary> {
  const outDir = options.outDir ?? options.resultsDir;
  const at = (name: string): string => path.join(outDir, name);
  const files: EvalFiles = { raw: at('raw.csv'), results: at('results.csv'), markdown: at('results.md'), errors: at('errors.csv') };
  const { table, results, scored, errored: erroredList } = await loadEpisodes(options, { file: files.raw, makeFolder: options.outDir !== undefined });

  const scores = sortModels(scoreAll(table), options.sort);
  const clem = clemTable(scores, { std: options.std, sort: options.sort });
  const errored = countErrored(table, erroredList);
  const erroredByPair = new Map(errored.map((c) => [`${c.model}\u0000${c.game}`, c]));
  const models = summarise(scores, erroredByPair);
  const extra = extraMeans(table);
  const intervals = options.bootstrap === undefined ? undefined : scores.map((m) => bootstrapModel(table.get(m.model) as ModelEpisodes, options.bootstrap));

  const outputs: [string, string][] = [
    [files.results, resultsCsv(clem)],
    [files.errors, erroredCsv(errored)],
  ];
  if (intervals !== undefined) {
    files.intervals = at('intervals.csv');
    outputs.push([files.intervals, intervalsCsv(models, intervals)]);
  }
  if (extra.length > 0) {
    files.extra = at('extra.csv');
    outputs.push([files.extra, extraCsv(extra)]);
  }
  outputs.push([files.markdown, resultsMarkdown({ models, intervals, extra, erroredTotal: erroredList.length, level: options.bootstrap?.level })]);
  // Written at once (each write ends with an fsync, which waits on the disk); every write has settled before the
  // first failure, in file order, is thrown, so no temporary file outlives the call.
  const written = await Promise.allSettled(outputs.map(([file, text]) => writeFileAtomicAsync(file, text, { folderExists: true, ...(options.io ? { io: options.io } : {}) })));
  const failed = written.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failed !== undefined) throw failed.reason;

  return {
    files,
    episodes: scored.length,
    models,
    table: { columns: clem.columns, rows: clem.rows.map((r) => ({ model: r.model, values: r.values.map(nn) })) },
    errored,
    erroredEpisodes: erroredList,
    duplicates: results.duplicates.map(refOf),
    unplaced: results.unplaced,
    intervals,
    extra,
    results,
  };
}

export interface CompareOptions {
  resultsDir: string;
  /** Model folder names, exactly as in the results folder. */
  a: string;
  b: string;
  games?: readonly string[];
  bootstrap?: BootstrapOptions;
}

/**
 * Paired comparison of two models on the episodes both played (see `compare`). Writes nothing. Throws
 * UnknownNameError (listing the closest model folders) if either model has no scored episode.
 */
export async function compareModels(options: CompareOptions): Promise<ModelComparison> {
  // The reader's substring filter reads only folders that can match; the exact lookup below picks the two models.
  const { table } = await loadEpisodes({ resultsDir: options.resultsDir, games: options.games, models: [options.a, options.b] });
  for (const name of [options.a, options.b]) {
    if (table.has(name)) continue;
    const names = sortedNames(table.keys());
    throw new UnknownNameError('model', name, closestNames(name, names), `Models with scores in ${options.resultsDir}: ${names.join(', ') || 'none'}.`);
  }
  const get = (name: string): ModelEpisodes => table.get(name) as ModelEpisodes;
  return compare(get(options.a), get(options.b), { ...options.bootstrap, games: options.games });
}
