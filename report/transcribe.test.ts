import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeEpisode, writeResults, type FakeEpisode } from '../test/report/make-results.js';
import { transcribe } from './transcribe.js';

const EVIL = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';

const threePlayers: FakeEpisode = {
  model: 'm',
  game: '20q',
  experiment: 'easy',
  gameId: 3,
  outcome: 'lose',
  scores: { Questions: 2 },
  players: { 'Player 1': 'Questioner', 'Player 2': 'Answerer', 'Player 3': 'Judge' },
  rounds: [
    [
      { from: 'GM', to: 'Player 1', type: 'send message', content: 'Ask a question.', label: 'context' },
      { from: 'Player 1', to: 'GM', type: 'get message', content: EVIL, label: 'response', reasoning: `thinking ${EVIL}` },
      { from: 'GM', to: 'GM', type: 'question', content: { question: 'is it <alive>?', information_gain: 0.912345678, mapping: { kind: 'attribute' } } },
      { from: 'GM', to: 'Player 2', type: 'send message', content: 'Answer.', label: 'context' },
      { from: 'Player 2', to: 'GM', type: 'get message', content: 'yes', label: 'response' },
      { from: 'GM', to: 'GM', type: 'violation noted', content: 'answer without prefix' },
    ],
    [
      { from: 'GM', to: 'Player 3', type: 'send message', content: 'Judge.', label: 'context' },
      { from: 'Player 3', to: 'GM', type: 'get message', content: 'bad guess', label: 'response' },
      { from: 'GM', to: 'GM', type: 'rule violation', content: 'a guess after the limit' },
    ],
  ],
};

describe('transcribe', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'clem-report-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes a transcript next to every interactions.json, and none for errored episodes', async () => {
    const dirs = writeResults(root, [
      { model: 'm', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
      { model: 'm', game: 'hello', experiment: 'one', gameId: 1, outcome: 'aborted' },
      { model: 'm', game: 'hello', experiment: 'one', gameId: 2, outcome: 'errored' },
      threePlayers,
    ]);
    const result = await transcribe({ resultsDir: root });
    expect(result.written).toBe(3);
    expect(result.failed).toEqual([]);
    expect(result.files).toEqual([dirs[3], dirs[0], dirs[1]].map((d) => path.join(d as string, 'transcript.html')));
    expect(existsSync(path.join(dirs[2] as string, 'transcript.html'))).toBe(false);
  });

  it('shows model text as text, never as markup', async () => {
    const dir = writeEpisode(root, threePlayers);
    await transcribe({ resultsDir: root });
    const page = readFileSync(path.join(dir, 'transcript.html'), 'utf8');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page.match(/<script>/g)).toHaveLength(1); // the page's own toolbar script
    expect(page).toContain('is it &lt;alive&gt;?');
  });

  it('shows players, reasoning, flags, rounds, scores and links back', async () => {
    const dir = writeEpisode(root, threePlayers);
    await transcribe({ resultsDir: root });
    const page = readFileSync(path.join(dir, 'transcript.html'), 'utf8');
    expect(page.match(/class="round"/g)).toHaveLength(2);
    expect(page).toContain('Round 2 of 2');
    // one colour per player, GM grey
    const colours = new Set([...page.matchAll(/class="event (?:to|from)-player" style="--c:(#[0-9A-Fa-f]{6})"/g)].map((m) => m[1]));
    expect(colours.size).toBe(3);
    expect(page).toMatch(/<details class="reasoning"><summary>reasoning \(\d+ characters\)<\/summary><pre class="msg">thinking &lt;script&gt;/);
    expect(page).toContain('class="event gm flag-note"');
    expect(page).toContain('class="event gm flag-lose"');
    expect(page).toContain('⚠ rule violation (episode lost)');
    expect(page.match(/class="flag o-lose" title="violation noted"/g)).toHaveLength(1);
    expect(page.match(/class="flag o-lose" title="rule violation/g)).toHaveLength(1);
    expect(page).toContain('<dt>question</dt><dd>is it &lt;alive&gt;?</dd><dt>information_gain</dt><dd>0.9123</dd><dt>mapping</dt><dd>{&quot;kind&quot;:&quot;attribute&quot;}</dd>');
    expect(page).toContain('<span class="badge o-lose">lose</span>');
    expect(page).toContain('<dt>Questions</dt><dd>2</dd>');
    expect(page).toContain('href="../../../../index.html"');
    expect(page).toContain('<a href="interactions.json">interactions.json</a>');
    expect(page).toContain('Judge');
  });

  it('marks a parse error and the reply it refused', async () => {
    const dir = writeEpisode(root, { model: 'm', game: 'hello', experiment: 'one', gameId: 0, outcome: 'aborted' });
    await transcribe({ resultsDir: root });
    const page = readFileSync(path.join(dir, 'transcript.html'), 'utf8');
    expect(page).toContain('class="event gm flag-abort"');
    expect(page).toContain('⚠ invalid format (parse error, episode aborted)');
    expect(page).toMatch(/class="flag o-aborted" title="invalid format/);
    expect(page).toContain('<span class="badge o-aborted">aborted</span>');
  });

  it('filters by a game folder name and links neighbours', async () => {
    const dirs = writeResults(root, [
      { model: 'm', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
      { model: 'm', game: 'hello', experiment: 'one', gameId: 1, outcome: 'success' },
      { model: 'm', game: 'hello2', experiment: 'one', gameId: 0, outcome: 'success' },
    ]);
    const result = await transcribe({ resultsDir: root, game: 'hello' });
    expect(result.written).toBe(2);
    const first = readFileSync(path.join(dirs[0] as string, 'transcript.html'), 'utf8');
    expect(first).toContain('<a href="../instance_00001/transcript.html">next →</a>');
    expect(first).not.toContain('previous');
  });

  it('reports an unreadable interactions.json and still writes the others', async () => {
    const dirs = writeResults(root, [
      { model: 'm', game: 'hello', experiment: 'one', gameId: 0, outcome: 'success' },
      { model: 'm', game: 'hello', experiment: 'one', gameId: 1, outcome: 'success' },
    ]);
    const bad = path.join(dirs[1] as string, 'interactions.json');
    writeFileSync(bad, '{"turns": [[{"from": "GM"}]]}');
    const result = await transcribe({ resultsDir: root });
    expect(result.written).toBe(1);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.file).toBe(bad);
    expect(result.failed[0]?.message).toMatch(/^turns\[0\]\[0\]\.to: /);
    expect(result.failed[0]?.message).not.toContain(bad);
  });

  it('reads clemcore 2.x interactions (players as strings, no outcome keys, list contents)', async () => {
    const dir = path.join(root, 'llama-t0.0--llama-t0.0', 'taboo', '0_high_en', 'episode_0');
    const legacy = {
      meta: { game_name: 'taboo', experiment_name: 'high_en', game_id: 0, dialogue_pair: 'llama-t0.0--llama-t0.0' },
      players: { GM: 'Game master for taboo', 'Player 1': 'llama', 'Player 2': 'llama' },
      turns: [[{ from: 'GM', to: 'Player 1', timestamp: '2024-01-01T00:00:00', action: { type: 'send message', content: [{ role: 'user', content: 'hi' }] } }]],
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'interactions.json'), JSON.stringify(legacy));
    const result = await transcribe({ resultsDir: root, game: 'taboo' });
    expect(result.failed).toEqual([]);
    const page = readFileSync(path.join(dir, 'transcript.html'), 'utf8');
    expect(page).toContain('taboo · high_en · game 0');
    expect(page).toContain('<span class="badge o-unknown">unknown</span>');
    expect(page).toContain('&quot;role&quot;: &quot;user&quot;');
  });
});
