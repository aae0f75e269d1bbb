import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../eval/evaluate.js';
import { writeResults } from '../test/report/make-results.js';
import { writeReport } from './report.js';

describe('writeReport', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'clem-report-all-'));
    writeResults(root, [
      { model: 'a', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
      { model: 'a', game: 'hello', experiment: 'one', gameId: 1, outcome: 'errored' },
    ]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes results, transcripts and an index that links the results', async () => {
    const files = await writeReport({ resultsDir: root, summary: await evaluate({ resultsDir: root }) });
    expect(files.results).toBe(path.join(root, 'results.html'));
    expect(files.transcripts.written).toBe(1);
    expect(readFileSync(files.index, 'utf8')).toContain('<a href="results.html">');
  });

  it('writes no results page without a summary', async () => {
    const files = await writeReport({ resultsDir: root });
    expect(files.results).toBeUndefined();
    expect(readFileSync(files.index, 'utf8')).not.toContain('results.html');
  });
});
