import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResults } from '../core/results-store/index.js';
import { evaluate } from '../eval/evaluate.js';
import { writeResults, type FakeEpisode } from '../test/report/make-results.js';
import { collectHistogramValues, histogramsFromGameSpecs } from './histograms.js';
import { buildResultsPage } from './results-page.js';

function twentyQ(model: string, gameId: number, outcome: FakeEpisode['outcome'], questions: number | null): FakeEpisode {
  return { model, game: '20q', experiment: 'easy', gameId, outcome, mainScore: outcome === 'success' ? 50 : 0, scores: { Questions: questions } };
}

const EPISODES: FakeEpisode[] = [
  twentyQ('a', 0, 'success', 4),
  twentyQ('a', 1, 'success', 6),
  twentyQ('a', 2, 'lose', 20),
  twentyQ('a', 3, 'aborted', null),
  twentyQ('a', 4, 'errored', null),
  twentyQ('<b>x', 0, 'success', 5),
  twentyQ('<b>x', 1, 'lose', 20),
  { model: 'a', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
  { model: '<b>x', game: 'hello', experiment: 'one', gameId: 0, outcome: 'aborted' },
];

describe('buildResultsPage', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'clem-results-'));
    writeResults(root, EPISODES);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('shows the eval tables with intervals and draws the plots', async () => {
    const summary = await evaluate({ resultsDir: root, bootstrap: { resamples: 50 } });
    const file = await buildResultsPage(summary, { resultsDir: root, histograms: [{ game: '20q', metric: 'Questions', where: { Success: 1 }, title: 'questions to win' }] });
    expect(file).toBe(path.join(root, 'results.html'));
    const page = readFileSync(file, 'utf8');
    const clem = /<table class="sortable" id="clemscores">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(clem.match(/<tr><td>/g)).toHaveLength(2);
    expect(clem).toContain('<th class="sortable num">95% CI</th>');
    const a = summary.models.find((m) => m.model === 'a');
    expect(clem).toContain(`<tr><td>a</td><td class="num">${(a?.clemscore as number).toFixed(2)}</td><td class="num" data-v=`);
    const games = /<table class="sortable" id="games">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(games.match(/<tr><td>/g)).toHaveLength(4);
    // the errored 20q episode of a links to the filtered index
    expect(games).toContain('<a href="index.html#outcome=errored&amp;game=20q&amp;model=a">1</a>');
    // clemscore bars, one scatter for the averages and one per game, one histogram
    expect(page.match(/<svg /g)).toHaveLength(1 + 1 + 2 + 1);
    expect(page.match(/class="point"/g)?.length).toBeGreaterThanOrEqual(4);
    // histogram: a won with 4 and 6 questions, x with 5; losses and aborts are left out
    expect(page).toContain('>a <tspan class="note">(n = 2)</tspan>');
    expect(page).toContain('>&lt;b&gt;x <tspan class="note">(n = 1)</tspan>');
    expect(page).toContain('20q: questions to win');
    expect(page).not.toContain('<b>x');
    expect(page).toContain('<a href="index.html#outcome=errored">1</a> errored episode(s)');
  });

  it('omits interval columns without bootstrap and draws no histogram unless asked', async () => {
    const summary = await evaluate({ resultsDir: root });
    const page = readFileSync(await buildResultsPage(summary, { resultsDir: root, linkIndex: false }), 'utf8');
    expect(page).not.toContain('95% CI');
    expect(page.match(/<svg /g)).toHaveLength(4);
    expect(page).not.toContain('index.html');
  });

  it('collects histogram values per model in results order', async () => {
    const [values] = await collectHistogramValues((await readResults(root)).episodes, [{ game: '20q', metric: 'Questions' }], ['a', '<b>x']);
    expect(values).toEqual(new Map([['<b>x', [5, 20]], ['a', [4, 6, 20]]]));
  });
});

describe('histogramsFromGameSpecs', () => {
  it('takes report_histograms where declared, else one per eval_metrics entry but outcome flags, in game order', () => {
    const specs = histogramsFromGameSpecs([
      { game_name: 'wordle', eval_metrics: ['Success', 'Guesses', 'Aborted'] },
      { game_name: '20q', eval_metrics: ['Questions', 'Success'], report_histograms: [{ metric: 'Questions', where: { Success: 1 }, title: 'questions to win' }] },
      { game_name: 'hello' },
    ]);
    expect(specs).toEqual([
      { game: '20q', metric: 'Questions', where: { Success: 1 }, title: 'questions to win' },
      { game: 'wordle', metric: 'Guesses' },
    ]);
  });

  it('names the clemgame.json of a malformed declaration', () => {
    expect(() => histogramsFromGameSpecs([{ game_name: '20q', game_path: '/g/20q', report_histograms: [{ metrik: 'Questions' }] }])).toThrow(
      /\/g\/20q\/clemgame\.json: \[0\]\.metric/,
    );
  });
});
