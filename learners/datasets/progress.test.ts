import { describe, expect, it } from 'vitest';
import { terminalStateProgress } from './progress.js';

/** A stream that is not a terminal (a log file, a pipe) and keeps what was written. */
function logStream(): NodeJS.WriteStream & { text: string } {
  const s = { isTTY: false, text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('terminalStateProgress without a terminal', () => {
  it('writes a line per 1% of the states and the last, with pairs and the ETA of the states left', () => {
    const stream = logStream();
    let t = 0;
    const p = terminalStateProgress(stream, () => t);
    p.start(250, 10);
    for (let i = 0; i < 240; i++) {
      t += 1000;
      p.state(i % 2 === 0);
    }
    p.finish();
    const lines = stream.text.trim().split('\n');
    expect(lines[0]).toBe('dpo-data: 250 state(s), 10 done in an earlier run');
    expect(lines).toHaveLength(1 + 80);
    expect(lines[1]).toBe('[13/250] 2 pair(s) | ETA 3m57s');
    expect(lines.at(-1)).toBe('[250/250] 120 pair(s) | ETA 0s');
  });

  it('a short run gets a line per state', () => {
    const stream = logStream();
    const p = terminalStateProgress(stream, () => 0);
    p.start(3, 0);
    for (let i = 0; i < 3; i++) p.state(true);
    expect(stream.text.trim().split('\n').slice(1)).toEqual(['[1/3] 1 pair(s) | ETA 0s', '[2/3] 2 pair(s) | ETA 0s', '[3/3] 3 pair(s) | ETA 0s']);
  });
});
