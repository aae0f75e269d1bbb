import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeResults } from '../test/report/make-results.js';
import { buildIndex, renderIndex } from './index-page.js';
import { transcribe } from './transcribe.js';

function rowsOf(page: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return body.split('\n').filter((l) => l.startsWith('<tr'));
}

describe('buildIndex', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'clem-index-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists every episode, errored and unfinished ones included, with outcome, score and link', async () => {
    writeResults(root, [
      { model: 'a', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success', mainScore: 100 },
      { model: 'a', game: 'hello', experiment: 'one', gameId: 1, outcome: 'lose' },
      { model: 'a', game: 'hello', experiment: 'one', gameId: 2, outcome: 'aborted' },
      { model: 'a', game: 'hello', experiment: 'one', gameId: 3, outcome: 'errored' },
      { model: 'a', game: 'hello', experiment: 'one', gameId: 4, outcome: 'pending' },
      { model: 'b', game: '20q', experiment: 'easy', gameId: 10, outcome: 'success', mainScore: 62.5 },
    ]);
    await transcribe({ resultsDir: root, game: 'hello' });
    const file = await buildIndex({ resultsDir: root });
    expect(file).toBe(path.join(root, 'index.html'));
    const page = readFileSync(file, 'utf8');
    const rows = rowsOf(page);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toBe(
      '<tr><td>a</td><td>hello</td><td>one</td><td class="num">0</td><td class="o-success">success</td><td class="num">100</td><td><a href="a/hello/one/instance_00000/transcript.html">transcript</a></td></tr>',
    );
    expect(rows[2]).toContain('<td class="o-aborted">aborted</td><td class="num">–</td>');
    expect(rows[3]).toContain('<td class="o-errored" title="BackendError: a: HTTP 500">errored</td>');
    expect(rows[3]).toContain('<a href="a/hello/one/instance_00003/error.json">error</a>');
    expect(rows[4]).toContain('<td class="o-errored" title="no scores.json (not finished or never scored)">errored</td>');
    // not transcribed yet: link the raw interactions
    expect(rows[5]).toBe(
      '<tr><td>b</td><td>20q</td><td>easy</td><td class="num">10</td><td class="o-success">success</td><td class="num">62.50</td><td><a href="b/20q/easy/instance_00010/interactions.json">interactions</a></td></tr>',
    );
    expect(page).toContain('6 episode(s): <span class="o-success">2 success</span>, <span class="o-lose">1 lose</span>, <span class="o-aborted">1 aborted</span>, <span class="o-errored">2 errored</span>.');
  });

  it('offers filters by outcome, game and model with counts', async () => {
    writeResults(root, [
      { model: 'a', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
      { model: 'a', game: '20q', experiment: 'one', gameId: 0, outcome: 'errored' },
    ]);
    const page = readFileSync(await buildIndex({ resultsDir: root }), 'utf8');
    expect(page).toContain('<select name="outcome" data-col="4"><option value="">all</option><option value="success">success (1)</option><option value="errored">errored (1)</option></select>');
    expect(page).toContain('<select name="game" data-col="1"><option value="">all</option><option value="20q">20q (1)</option><option value="hello">hello (1)</option></select>');
    expect(page).toContain('<select name="model" data-col="0">');
    expect(page).toContain('<table id="episodes" class="sortable" data-page="500">');
    expect(page).not.toContain('results.html');
  });

  it('lists an episode whose scores.json is unreadable as errored, with the parse error', async () => {
    const [dir] = writeResults(root, [{ model: 'a', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' }]);
    writeFileSync(path.join(dir as string, 'scores.json'), '{"episode scores": {"Main Score": NaN}, "x": ');
    const page = readFileSync(await buildIndex({ resultsDir: root }), 'utf8');
    const rows = rowsOf(page);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/<td class="o-errored" title="[^"]*scores\.json: not valid JSON[^"]*">errored<\/td>/);
  });

  it('escapes folder names and links results.html when it exists', async () => {
    writeResults(root, [{ model: '<b>m#1 x', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' }]);
    writeFileSync(path.join(root, 'results.html'), '');
    await transcribe({ resultsDir: root });
    const page = readFileSync(await buildIndex({ resultsDir: root }), 'utf8');
    expect(page).toContain('<td>&lt;b&gt;m#1 x</td>');
    expect(page).toContain('href="%3Cb%3Em%231%20x/hello/one/instance_00000/transcript.html"');
    expect(page).toContain('<a href="results.html">');
    expect(page).not.toContain('<b>m');
  });

  it('shows the first page of rows and hides the rest until asked', async () => {
    writeResults(root, [0, 1, 2].map((gameId) => ({ model: 'a', game: 'hello', experiment: 'one', gameId, outcome: 'success' as const })));
    const page = readFileSync(await buildIndex({ resultsDir: root, pageRows: 2 }), 'utf8');
    expect(rowsOf(page).map((r) => r.startsWith('<tr hidden>'))).toEqual([false, false, true]);
    expect(page).toContain('<button type="button" id="more">show more</button>');
  });

  it('keeps rows small enough for 10k episodes', () => {
    const row = { dir: 'model-name/game/experiment/instance_00000', model: 'model-name', game: 'game', experiment: 'experiment', gameId: '0', outcome: 'success' as const, mainScore: 100, link: 'model-name/game/experiment/instance_00000/transcript.html', error: null };
    const page = renderIndex(Array.from({ length: 10_000 }, () => row), { title: 't', hasResults: false });
    expect(page.length / 10_000).toBeLessThan(300);
  });
});
