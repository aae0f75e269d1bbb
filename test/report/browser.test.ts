import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../eval/evaluate.js';
import { buildIndex, buildResultsPage, transcribe } from '../../report/index.js';
import { episodeRel, writeResults, type FakeEpisode } from './make-results.js';

/**
 * The report pages in a real browser: Debian's headless Chromium driven by playwright-core, pages opened from
 * file:// URLs with every other request refused. Skipped when /usr/bin/chromium is absent
 * (install: apt-get install -y chromium).
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SKIP_NOTE = `skipped: ${CHROMIUM} not found (install it with: apt-get update && apt-get install -y chromium)`;
if (!HAS_CHROMIUM) console.warn(`test/report/browser.test.ts ${SKIP_NOTE}`);

const EVIL = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">';

function episodes(): FakeEpisode[] {
  const out: FakeEpisode[] = [];
  for (const [m, model] of ['alpha', 'beta'].entries()) {
    for (let i = 0; i < 6; i++) {
      const outcome = (['success', 'success', 'lose', 'aborted', 'success', 'errored'] as const)[(i + m) % 6] ?? 'success';
      out.push({ model, game: '20q', experiment: 'easy', gameId: i, outcome, mainScore: outcome === 'success' ? 40 + 10 * i : 0, scores: { Questions: outcome === 'aborted' ? null : 3 + i } });
    }
    out.push({ model, game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' });
  }
  out.push({
    model: 'alpha',
    game: 'hello',
    experiment: 'one',
    gameId: 1,
    outcome: 'lose',
    rounds: [
      [
        { from: 'GM', to: 'Player 1', type: 'send message', content: 'Greet.', label: 'context' },
        { from: 'Player 1', to: 'GM', type: 'get message', content: EVIL, label: 'response', reasoning: 'I will try <b>markup</b>' },
        { from: 'GM', to: 'GM', type: 'rule violation', content: 'no hello' },
      ],
    ],
  });
  return out;
}

describe.skipIf(!HAS_CHROMIUM)(`report pages in headless Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_NOTE})`}`, () => {
  let root: string;
  let profile: string;
  let context: BrowserContext;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'clem-browser-'));
    profile = mkdtempSync(path.join(tmpdir(), 'clem-chromium-'));
    writeResults(root, episodes());
    const summary = await evaluate({ resultsDir: root, bootstrap: { resamples: 100 } });
    await buildResultsPage(summary, { resultsDir: root, histograms: [{ game: '20q', metric: 'Questions', where: { Success: 1 } }] });
    await transcribe({ resultsDir: root });
    await buildIndex({ resultsDir: root, pageRows: 10 });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // No network: only the pages' own files may load.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  async function open(rel: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${rel}: console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${rel}: page error: ${e.message}`));
    const [file, hash] = rel.split('#');
    await page.goto(`${pathToFileURL(path.join(root, file as string)).href}${hash === undefined ? '' : `#${hash}`}`);
    return page;
  }

  const visibleRows = (page: Page): Promise<number> => page.locator('#episodes tbody tr:visible').count();

  it('index.html lists every episode and filters and sorts them', async () => {
    const page = await open('index.html');
    expect(await page.locator('#episodes tbody tr').count()).toBe(15);
    expect(await visibleRows(page)).toBe(10);
    await page.click('#more');
    expect(await visibleRows(page)).toBe(15);
    expect(await page.locator('#more').isHidden()).toBe(true);

    await page.selectOption('select[name="outcome"]', 'errored');
    expect(await visibleRows(page)).toBe(2);
    expect(await page.locator('#shown').textContent()).toBe('2');
    expect(new URL(page.url()).hash).toBe('#outcome=errored');

    await page.selectOption('select[name="game"]', 'hello');
    expect(await visibleRows(page)).toBe(0);
    await page.selectOption('select[name="outcome"]', '');
    expect(await visibleRows(page)).toBe(3);
    await page.click('#reset');
    expect(await visibleRows(page)).toBe(10);
    expect(await page.locator('#shown').textContent()).toBe('15');

    await page.click('th:has-text("Main Score")');
    expect(await page.locator('#episodes tbody tr').first().locator('td').nth(5).textContent()).toBe('0');
    await page.click('th:has-text("Main Score")');
    expect(await page.locator('#episodes tbody tr').first().locator('td').nth(5).textContent()).toBe('100');

    // a filtered view can be linked
    const linked = await open('index.html#outcome=aborted&model=beta');
    expect(await visibleRows(linked)).toBe(1);
  });

  it('a transcript shows a <script> reply as text and its controls work', async () => {
    const page = await open(`${episodeRel({ model: 'alpha', game: 'hello', experiment: 'one', gameId: 1 })}/transcript.html`);
    expect(await page.locator('.from-player pre.msg').first().textContent()).toBe(EVIL);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('.event.gm.flag-lose').count()).toBe(1);

    const reasoning = page.locator('details.reasoning');
    expect(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await page.click('button[data-act="reasoning"]');
    expect(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await reasoning.locator('pre').textContent()).toBe('I will try <b>markup</b>');

    await page.click('button[data-act="collapse"]');
    expect(await page.locator('details.bubble[open]').count()).toBe(0);
    await page.click('button[data-act="expand"]');
    expect(await page.locator('details.bubble[open]').count()).toBe(3);

    await page.click('nav a:has-text("all episodes")');
    expect(page.url()).toBe(pathToFileURL(path.join(root, 'index.html')).href);
    expect(await visibleRows(page)).toBe(10);
  });

  it('results.html renders its tables and SVG plots', async () => {
    const page = await open('results.html');
    expect(await page.locator('#clemscores tbody tr').count()).toBe(2);
    expect(await page.locator('#games tbody tr').count()).toBe(4);
    expect(await page.locator('svg').count()).toBe(5);
    expect(await page.locator('svg rect.bar').count()).toBeGreaterThan(2);
    expect(await page.locator('#scatters circle.point').count()).toBe(6);
    const box = await page.locator('svg').first().boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    await page.click('#clemscores th:has-text("clemscore")');
    const first = await page.locator('#clemscores tbody tr').first().locator('td').nth(1).textContent();
    const second = await page.locator('#clemscores tbody tr').nth(1).locator('td').nth(1).textContent();
    expect(Number(first)).toBeLessThanOrEqual(Number(second));
  });

  it('no page logged an error or asked for the network', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });
});
