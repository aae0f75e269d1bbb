import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    expect(files.transcripts?.written).toBe(1);
    expect(readFileSync(files.index, 'utf8')).toContain('hello/one/instance_00000/transcript.html');
    expect(readFileSync(files.index, 'utf8')).toContain('<a href="results.html">');
  });

  it('writes results and an index from eval’s episodes, without transcripts, as eval does', async () => {
    const summary = await evaluate({ resultsDir: root });
    const files = await writeReport({ resultsDir: root, summary, results: summary.results, transcripts: false });
    expect(files.transcripts).toBeUndefined();
    expect(existsSync(path.join(root, 'a/hello/one/instance_00000/transcript.html'))).toBe(false);
    const index = readFileSync(files.index, 'utf8');
    expect(index).toContain('<a href="results.html">');
    expect(index).toContain('<a href="a/hello/one/instance_00000/interactions.json">interactions</a>');
    expect(index).toContain('title="BackendError: a: HTTP 500">errored</td>');
  });

  it('writes no results page without a summary', async () => {
    const files = await writeReport({ resultsDir: root });
    expect(files.results).toBeUndefined();
    expect(readFileSync(files.index, 'utf8')).not.toContain('results.html');
  });
});
