import cliProgress from 'cli-progress';
import type { DownloadEvent } from '../backends/hub/index.js';

const MIB = 1024 ** 2;

/** Bytes for people: `512 KiB`, `12.3 MiB`, `2.31 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < MIB) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1024 * MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / 1024 / MIB).toFixed(2)} GiB`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/**
 * Download progress of model files on a terminal: one bar per file with bytes, speed and ETA (cli-progress); plain
 * lines at every tenth of a file otherwise (CI logs, pipes). Speed and ETA count only bytes fetched now, not those
 * a resumed download kept. `now` is the clock in ms (tests inject one).
 */
export function terminalDownloads(stream: NodeJS.WriteStream, now: () => number = () => performance.now()): (event: DownloadEvent) => void {
  const started = new Map<string, { at: number; tenth: number; bar?: cliProgress.SingleBar }>();
  const speedOf = (e: DownloadEvent, at: number) => (e.receivedBytes - e.resumedFromBytes) / Math.max(1e-3, (now() - at) / 1000);
  return (e) => {
    const key = `${e.repo}/${e.file}`;
    if (e.phase === 'start') {
      const entry: { at: number; tenth: number; bar?: cliProgress.SingleBar } = { at: now(), tenth: Math.floor((10 * e.receivedBytes) / Math.max(1, e.totalBytes)) };
      const resumed = e.resumedFromBytes > 0 ? ` (resuming at ${formatBytes(e.resumedFromBytes)})` : '';
      if (stream.isTTY) {
        entry.bar = new cliProgress.SingleBar(
          { stream, format: ` ${key} {bar} {done} of {size} | {speed}/s | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        entry.bar.start(e.totalBytes, e.receivedBytes, { done: formatBytes(e.receivedBytes), size: formatBytes(e.totalBytes), speed: '0 KiB' });
        if (resumed) stream.write(`${resumed.trim()}\n`);
      } else {
        stream.write(`downloading ${key}: ${formatBytes(e.totalBytes)}${resumed}\n`);
      }
      started.set(key, entry);
      return;
    }
    const entry = started.get(key);
    if (!entry) return;
    const speed = speedOf(e, entry.at);
    if (entry.bar) {
      entry.bar.update(e.receivedBytes, { done: formatBytes(e.receivedBytes), speed: formatBytes(speed) });
      if (e.phase === 'done') entry.bar.stop();
    } else if (e.phase === 'progress') {
      const tenth = Math.floor((10 * e.receivedBytes) / Math.max(1, e.totalBytes));
      if (tenth > entry.tenth && tenth < 10) {
        entry.tenth = tenth;
        const eta = (e.totalBytes - e.receivedBytes) / Math.max(1, speed);
        stream.write(`  ${key}: ${formatBytes(e.receivedBytes)} of ${formatBytes(e.totalBytes)} (${tenth * 10}%), ${formatBytes(speed)}/s, ETA ${formatSeconds(eta)}\n`);
      }
    } else if (e.phase === 'done') {
      stream.write(`  ${key}: ${formatBytes(e.totalBytes)} done in ${formatSeconds((now() - entry.at) / 1000)}, checked against its hash\n`);
    }
    if (e.phase === 'done') started.delete(key);
  };
}
