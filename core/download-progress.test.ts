import { describe, expect, it } from 'vitest';
import type { DownloadEvent } from '../backends/hub/index.js';
import { terminalDownloads } from './download-progress.js';

function pipe(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('terminalDownloads (not a terminal)', () => {
  it('prints a line per tenth with bytes, speed and ETA, counting only the bytes fetched now', () => {
    const { stream, text } = pipe();
    let t = 0;
    const report = terminalDownloads(stream, () => t);
    const MiB = 1024 ** 2;
    const e = (phase: DownloadEvent['phase'], receivedBytes: number): DownloadEvent => ({
      repo: 'meta-llama/Llama-3.2-1B-Instruct',
      file: 'model.safetensors',
      receivedBytes,
      totalBytes: 100 * MiB,
      resumedFromBytes: 40 * MiB,
      phase,
    });
    report(e('start', 40 * MiB));
    t = 1000;
    report(e('progress', 45 * MiB)); // still in the 40% tenth: no line
    t = 2000;
    report(e('progress', 50 * MiB));
    t = 7000;
    report(e('done', 100 * MiB));
    expect(text()).toBe(
      'downloading meta-llama/Llama-3.2-1B-Instruct/model.safetensors: 100.0 MiB (resuming at 40.0 MiB)\n' +
        '  meta-llama/Llama-3.2-1B-Instruct/model.safetensors: 50.0 MiB of 100.0 MiB (50%), 5.0 MiB/s, ETA 10s\n' +
        '  meta-llama/Llama-3.2-1B-Instruct/model.safetensors: 100.0 MiB done in 7s, checked against its hash\n',
    );
  });
});
