import type { ResultsRead } from '../core/results-store/index.js';
import { buildIndex } from './index-page.js';
import type { HistogramSpec } from './histograms.js';
import { buildResultsPage, type ResultsSummary } from './results-page.js';
import type { TranscribeResult } from './transcribe.js';

export interface WriteReportOptions {
  resultsDir: string;
  /** Write transcript.html for the episodes (default true; `eval` writes only results.html and index.html). */
  transcripts?: boolean;
  /** Transcribe only this game's episodes (a game folder name); the index always lists every episode. */
  game?: string;
  /** eval's summary: with it, results.html is written too. */
  summary?: ResultsSummary;
  /** Every episode of the folder, already read (an unfiltered eval's): the pages do not list or read them again. */
  results?: ResultsRead;
  /** Histograms for results.html (see histogramsFromGameSpecs). */
  histograms?: readonly HistogramSpec[];
  /** Coverage of the summary's intervals, for labels (default 0.95). */
  level?: number;
}

export interface ReportFiles {
  /** Absent when transcripts were not asked for. */
  transcripts?: TranscribeResult;
  index: string;
  results?: string;
}

/**
 * Writes the report in the order that makes every link resolve: results.html (when a summary is given), the
 * transcripts (unless `transcripts` is false), then index.html (which links results.html when it exists, and each
 * episode's transcript when it exists). An unknown `game` throws UnknownNameError before any transcript or the
 * index is written. Transcripts whose files do not parse are in `transcripts.failed`; other errors are thrown as
 * by the three builders.
 */
export async function writeReport(options: WriteReportOptions): Promise<ReportFiles> {
  const { resultsDir } = options;
  const withTranscripts = options.transcripts ?? true;
  const results =
    options.summary === undefined
      ? undefined
      : await buildResultsPage(options.summary, {
          resultsDir,
          ...(options.histograms !== undefined ? { histograms: options.histograms } : {}),
          ...(options.level !== undefined ? { level: options.level } : {}),
        });
  // Loaded only when asked for: eval writes no transcript and need not load the transcript renderer (bench P4).
  const transcripts = withTranscripts
    ? await (await import('./transcribe.js')).transcribe({ resultsDir, ...(options.game !== undefined ? { game: options.game } : {}), ...(options.results ? { results: options.results } : {}) })
    : undefined;
  // Transcripts were just written: the index must see them, so it lists the folder again unless none were written.
  const reuse = options.results !== undefined && transcripts === undefined;
  const index = await buildIndex({ resultsDir, ...(reuse ? { results: options.results } : {}) });
  return { index, ...(transcripts !== undefined ? { transcripts } : {}), ...(results !== undefined ? { results } : {}) };
}
