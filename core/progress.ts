import cliProgress from 'cli-progress';
import type { DownloadEvent } from '../backends/hub/index.js';
import { terminalDownloads } from './download-progress.js';

export interface EpisodeReport {
  label: string;
  /** `done elsewhere`: another worker on the same results folder played it. */
  status: 'success' | 'lose' | 'aborted' | 'errored' | 'skipped' | 'done elsewhere';
  message?: string;
}

/** Reports run progress; the runner never writes to the terminal itself. */
export interface ProgressReporter {
  start(total: number): void;
  episode(report: EpisodeReport): void;
  finish(): void;
  /** Progress of model files being downloaded while the models load (before `start`). */
  download?(event: DownloadEvent): void;
  /** Shows what the run is waiting for (a model's server is down), or clears it with null. */
  status?(message: string | null): void;
}

export const silentProgress: ProgressReporter = { start() {}, episode() {}, finish() {} };

/** A bar with ETA on a terminal (cli-progress), plain lines otherwise (CI logs, pipes). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    let done = 0;
    let total = 0;
    return {
      start: (n) => {
        total = n;
      },
      episode: (r) => {
        done += 1;
        stream.write(`[${done}/${total}] ${r.label} ${r.status}${r.message ? `: ${r.message}` : ''}\n`);
      },
      finish() {},
      download: terminalDownloads(stream),
      status: (message) => {
        if (message !== null) stream.write(`[${done}/${total}] ${message}\n`);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: ' {bar} {value}/{total} episodes | ETA {eta_formatted} | {last}{status}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (n) => bar.start(n, 0, { last: '', status: '' }),
    episode: (r) => {
      if (r.status === 'errored') stream.write(`\nerror: ${r.label}: ${r.message ?? ''}\n`);
      bar.increment(1, { last: `${r.label} ${r.status}` });
    },
    finish: () => bar.stop(),
    download: terminalDownloads(stream),
    status: (message) => bar.update({ status: message === null ? '' : ` | ${message}` }),
  };
}
