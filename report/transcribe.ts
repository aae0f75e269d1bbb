import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { writeFileAtomicAsync } from '../base/atomic.js';
import { hasCode } from '../base/errors.js';
import { type Episode, type ResultsRead, readResults, removeDeadWriterTemps } from '../core/results-store/index.js';
import { hrefOf } from './html.js';
import { renderTranscript } from './transcript.js';
import { readJsonFile } from '../core/results-store/read-file.js';
import { REWARDS_FILE, RewardsFileSchema } from '../registry/rewards-file.js';

export interface TranscribeOptions {
  /** The results root; `index.html` is expected here (see buildIndex), transcripts link back to it. */
  resultsDir: string;
  /** Only this game's episodes (its folder name). A game with no episode throws UnknownNameError. */
  game?: string;
  /** The folder's episodes, already read (unfiltered): not listed again. */
  results?: ResultsRead;
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
  /** The folder read, and the symbolic links in it the reader did not follow (see linksNote). */
  read: Pick<ResultsRead, 'root' | 'links'>;
}

const RAW_FILE = /^(interactions|scores|instance|error|completed|experiment)\.json$|\.requests\.json$|^rewards\.[^/]+\.json$/;

function posixRelative(from: string, to: string): string {
  const rel = path.relative(from, to).split(path.sep).join('/');
  return hrefOf(rel === '' ? '.' : rel);
}

async function transcribeOne(root: string, e: Episode, neighbours: { previous?: Episode; next?: Episode }): Promise<string> {
  const interactions = await e.interactions();
  const scores = e.has('scores.json') ? await e.scores() : undefined;
  const files = (await readdir(e.dir)).filter((f) => RAW_FILE.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const rewards = await Promise.all(files.filter((f) => REWARDS_FILE.test(f)).map((f) => readJsonFile(e.file(f), RewardsFileSchema)));
  const link = (other: Episode | undefined): string | undefined => (other === undefined ? undefined : `${posixRelative(e.dir, other.dir)}/transcript.html`);
  const html = renderTranscript({
    interactions,
    ...(scores ? { scores } : {}),
    rewards,
    folder: { model: e.modelsFolder, game: e.game, experiment: e.experimentFolder, episode: e.episodeFolder },
    links: {
      index: `${posixRelative(e.dir, root)}/index.html`,
      ...(neighbours.previous ? { previous: link(neighbours.previous) } : {}),
      ...(neighbours.next ? { next: link(neighbours.next) } : {}),
      files: files.map((f) => ({ href: hrefOf(f), name: f })),
    },
  });
  const out = e.file('transcript.html');
  await writeFileAtomicAsync(out, html, { folderExists: true });
  return out;
}

/**
 * Writes `transcript.html` next to every interactions.json under `resultsDir` (optionally only for one game),
 * overwriting older ones; each is written atomically and links to the results root's index.html and to the
 * previous and next transcribed episode (in the reader's order). Temporary files of writers that were killed are
 * removed first, at every level of the folder. An episode whose interactions.json or scores.json
 * does not parse is reported in `failed` (file and message) and the others are still written; the caller should
 * report them and exit non-zero. Throws, writing nothing, ConfigError if `resultsDir` is not a folder and
 * UnknownNameError (with the closest names) if `game` has no episode; the file-system error if a folder cannot be
 * read.
 */
export async function transcribe(options: TranscribeOptions): Promise<TranscribeResult> {
  const root = path.resolve(options.resultsDir);
  const read = options.game === undefined ? (options.results ?? (await readResults(root))) : await readResults(root, { games: [options.game] });
  // A killed transcribe, eval or run left temporary files: the selection is good, so this one clears them.
  removeDeadWriterTemps(read);
  const episodes = read.episodes.filter((e) => e.has('interactions.json'));
  const limit = pLimit(options.concurrency ?? 8);
  const outcomes = await Promise.all(
    episodes.map((e, i) =>
      limit(async (): Promise<{ file: string } | { failure: TranscribeFailure }> => {
        try {
          return { file: await transcribeOne(root, e, { previous: episodes[i - 1], next: episodes[i + 1] }) };
        } catch (err) {
          // A malformed file is one episode's problem: record it with its file name and go on with the others.
          if (hasCode(err, 'file_format')) {
            const { file, issues } = err as { file?: unknown; issues?: unknown };
            // The message without the file name in front: the caller prints the file, then this.
            const message = Array.isArray(issues) ? issues.join('; ') : err.message;
            return { failure: { file: typeof file === 'string' ? file : e.rel, message } };
          }
          throw err;
        }
      }),
    ),
  );
  const files: string[] = [];
  const failed: TranscribeFailure[] = [];
  for (const o of outcomes) {
    if ('file' in o) files.push(o.file);
    else failed.push(o.failure);
  }
  return { written: files.length, files, failed, read: { root: read.root, links: read.links } };
}
