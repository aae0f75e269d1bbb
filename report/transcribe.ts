import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomicAsync } from '../base/atomic.js';
import { hasCode } from '../base/errors.js';
import { hrefOf } from './html.js';
import { parseScoresText, type ScoresRead } from '../registry/scores.js';
import { findEpisodeFolders, mapLimited, type EpisodeFolder } from './scan.js';
import { InteractionsReadSchema, readJsonFile } from './sources.js';
import { renderTranscript } from './transcript.js';

export interface TranscribeOptions {
  /** The results root; `index.html` is expected here (see buildIndex), transcripts link back to it. */
  resultsDir: string;
  /** Only episodes with a folder of exactly this name on their path (clemcore's `transcribe -g`). */
  game?: string;
  /** Files read and written at once (default 8). */
  concurrency?: number;
}

export interface TranscribeFailure {
  /** The interactions.json (or scores.json) that could not be read. */
  file: string;
  message: string;
}

export interface TranscribeResult {
  /** Transcripts written. */
  written: number;
  /** Their paths, in episode order. */
  files: string[];
  /** Episodes whose files did not parse; no transcript was written for them. */
  failed: TranscribeFailure[];
}

const RAW_FILE = /^(interactions|scores|instance|error|completed|experiment)\.json$|\.requests\.json$/;

function posixRelative(from: string, to: string): string {
  const rel = path.relative(from, to).split(path.sep).join('/');
  return hrefOf(rel === '' ? '.' : rel);
}

async function transcribeOne(root: string, folder: EpisodeFolder, neighbours: { previous?: EpisodeFolder; next?: EpisodeFolder }): Promise<string> {
  const dir = path.join(root, ...folder.rel);
  const interactions = await readJsonFile(path.join(dir, 'interactions.json'), InteractionsReadSchema);
  let scores: ScoresRead | undefined;
  if (folder.files.has('scores.json')) {
    const file = path.join(dir, 'scores.json');
    scores = parseScoresText(file, await readFile(file, 'utf8'));
  }
  const files = (await readdir(dir)).filter((f) => RAW_FILE.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const link = (other: EpisodeFolder | undefined): string | undefined =>
    other === undefined ? undefined : `${posixRelative(dir, path.join(root, ...other.rel))}/transcript.html`;
  const html = renderTranscript({
    interactions,
    ...(scores ? { scores } : {}),
    folder,
    links: {
      index: `${posixRelative(dir, root)}/index.html`,
      ...(neighbours.previous ? { previous: link(neighbours.previous) } : {}),
      ...(neighbours.next ? { next: link(neighbours.next) } : {}),
      files: files.map((f) => ({ href: hrefOf(f), name: f })),
    },
  });
  const out = path.join(dir, 'transcript.html');
  await writeFileAtomicAsync(out, html);
  return out;
}

/**
 * Writes `transcript.html` next to every interactions.json under `resultsDir` (optionally only for one game),
 * overwriting older ones; each is written atomically and links to the results root's index.html and to the
 * previous and next transcribed episode. An episode whose interactions.json or scores.json does not parse is
 * reported in `failed` (file and message) and the others are still written; the caller should report them and
 * exit non-zero. Throws the file-system error if `resultsDir` cannot be read.
 */
export async function transcribe(options: TranscribeOptions): Promise<TranscribeResult> {
  const root = path.resolve(options.resultsDir);
  const folders = (await findEpisodeFolders(root)).filter(
    (f) => f.files.has('interactions.json') && (options.game === undefined || f.rel.includes(options.game)),
  );
  const outcomes = await mapLimited(folders, options.concurrency ?? 8, async (folder, i): Promise<{ file: string } | { failure: TranscribeFailure }> => {
    try {
      const neighbours = { previous: folders[i - 1], next: folders[i + 1] };
      return { file: await transcribeOne(root, folder, neighbours) };
    } catch (e) {
      // A malformed file is one episode's problem: record it with its file name and go on with the others.
      if (hasCode(e, 'file_format')) {
        const file = (e as { file?: unknown }).file;
        return { failure: { file: typeof file === 'string' ? file : folder.rel.join('/'), message: e.message } };
      }
      throw e;
    }
  });
  const files: string[] = [];
  const failed: TranscribeFailure[] = [];
  for (const o of outcomes) {
    if ('file' in o) files.push(o.file);
    else failed.push(o.failure);
  }
  return { written: files.length, files, failed };
}
