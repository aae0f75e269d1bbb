import { buildIndex } from './index-page.js';
import type { HistogramSpec } from './histograms.js';
import { buildResultsPage, type ResultsSummary } from './results-page.js';
import { transcribe, type TranscribeResult } from './transcribe.js';

export interface WriteReportOptions {
  resultsDir: string;
  /** Transcribe only this game's episodes (a folder name on the path); the index always lists every episode. */
  game?: string;
  /** eval's summary: with it, results.html is written too. */
  summary?: ResultsSummary;
  /** Histograms for results.html (see histogramsFromGameSpecs). */
  histograms?: readonly HistogramSpec[];
  /** Coverage of the summary's intervals, for labels (default 0.95). */
  level?: number;
}

export interface ReportFiles {
  transcripts: TranscribeResult;
  index: string;
  results?: string;
}

/**
 * Writes the whole report in the order that makes every link resolve: results.html (when a summary is given), the
 * transcripts, then index.html (which links results.html when it exists). Transcripts whose files do not parse are
 * in `transcripts.failed`; other errors are thrown as by the three builders.
 */
export async function writeReport(options: WriteReportOptions): Promise<ReportFiles> {
  const { resultsDir } = options;
  const results =
    options.summary === undefined
      ? undefined
      : await buildResultsPage(options.summary, {
          resultsDir,
          ...(options.histograms !== undefined ? { histograms: options.histograms } : {}),
          ...(options.level !== undefined ? { level: options.level } : {}),
        });
  const transcripts = await transcribe({ resultsDir, ...(options.game !== undefined ? { game: options.game } : {}) });
  const index = await buildIndex({ resultsDir });
  return { transcripts, index, ...(results !== undefined ? { results } : {}) };
}
