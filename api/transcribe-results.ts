import { resolve } from 'node:path';
import { writeReport, type TranscribeResult } from '../report/index.js';

export interface TranscribeResultsOptions {
  /** The results folder. */
  resultsDir: string;
  /** Only this game's episodes (the index lists every episode). */
  game?: string;
}

export interface TranscribeResultsSummary {
  transcripts: TranscribeResult;
  /** The index.html written at the results root. */
  index: string;
}

/**
 * What `clem-ts transcribe` does: transcript.html beside every interactions.json (of `game`, when given) and
 * index.html at the results root. An episode whose files do not parse is listed in `transcripts.failed`; the
 * others are written. Throws UnknownNameError when `game` has no episode.
 */
export async function transcribeResults(opts: TranscribeResultsOptions): Promise<TranscribeResultsSummary> {
  const resultsDir = resolve(opts.resultsDir);
  const files = await writeReport({ resultsDir, ...(opts.game !== undefined ? { game: opts.game } : {}) });
  return { transcripts: files.transcripts ?? { written: 0, files: [], failed: [], read: { root: resultsDir, links: [] } }, index: files.index };
}
