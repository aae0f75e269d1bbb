/**
 * Report pages for a results folder, each one self-contained HTML that opens from disk (no server, no network):
 * transcripts of episodes, the index of all episodes, and the results page with eval's tables and plots.
 * Build order for a full report: `evaluate` (eval/) → `buildResultsPage` → `transcribe` → `buildIndex`
 * (the index links results.html only when it exists).
 */
export { transcribe, type TranscribeOptions, type TranscribeResult, type TranscribeFailure } from './transcribe.js';
export { buildIndex, renderIndex, type BuildIndexOptions } from './index-page.js';
export { buildResultsPage, renderResults, type BuildResultsOptions, type ResultsSummary, type HistogramData } from './results-page.js';
export { histogramsFromGameSpecs, collectHistogramValues, ReportHistogramsSchema, type HistogramSpec } from './histograms.js';
export { renderTranscript, type TranscriptInput } from './transcript.js';
export { readEpisodeRow, type EpisodeRow, type IndexOutcome } from './episode.js';
export { writeReport, type WriteReportOptions, type ReportFiles } from './report.js';
