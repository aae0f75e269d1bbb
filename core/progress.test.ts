import { describe, expect, it } from 'vitest';
import { terminalProgress } from './progress.js';

describe('terminalProgress without a terminal', () => {
  it("prints a line per episode and a model's server status between them", () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(stream);
    progress.start(2);
    progress.episode({ label: '20q/all_words/0', status: 'success' });
    progress.status?.('questioner: server unreachable for 3 s (cannot connect …); waiting, next try in 4 s');
    progress.status?.(null);
    progress.episode({ label: '20q/all_words/1', status: 'lose' });
    expect(lines).toEqual([
      '[1/2] 20q/all_words/0 success\n',
      '[1/2] questioner: server unreachable for 3 s (cannot connect …); waiting, next try in 4 s\n',
      '[2/2] 20q/all_words/1 lose\n',
    ]);
  });
});
