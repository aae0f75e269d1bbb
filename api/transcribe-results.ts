import { resolve } from 'node:path';
import { gameFilter, type GameSource } from '../core/game-source.js';
import { writeReport, type TranscribeResult } from '../report/index.js';

export interface TranscribeResultsOptions {
  /** The results folder. */
  resultsDir: string;
  /** Only this game's episodes (the index lists every episode): its name, or a game folder, code file or module. */
  game?: GameSource;
  /** Folder a game path is relative to; default the working folder. */
  cwd?: string;
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
  const game = opts.game === undefined ? undefined : (await gameFilter(opts.game, opts.cwd ? { cwd: opts.cwd } : {})).name;
  const files = await writeReport({ resultsDir, ...(game !== undefined ? { game } : {}) });
  return { transcripts: files.transcripts ?? { written: 0, files: [], failed: [], read: { root: resultsDir, links: [] } }, index: files.index };
}
