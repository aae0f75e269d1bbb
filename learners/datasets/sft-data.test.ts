import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../core/runner.js';
import { KeyRing } from '../../registry/keys.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { OpenAIChatRowSchema, SftRowSchema } from './formats.js';
import { readJsonLines } from './jsonl.js';
import { buildSftData } from './sft-data.js';

const tmp = tempDirs('clem-sft-');
let resultsDir: string;

beforeAll(async () => {
  resultsDir = tmp.make();
  // Both experiments: the 17 words of one_per_category are also in all_words, under other game_ids.
  // Two Questioners, so a word's two episodes differ (and survive deduplication).
  const common = { games: ['20q'], concurrency: 8, env: {}, keys: KeyRing.empty(), cwd: process.cwd() };
  expect((await run({ ...common, models: ['random-kb'], experiment: 'all_words', resultsDir: join(resultsDir, 'a') })).played).toBe(158);
  expect((await run({ ...common, models: ['kb-greedy'], experiment: 'one_per_category', resultsDir: join(resultsDir, 'b') })).played).toBe(17);
}, 60_000);
afterAll(() => tmp.cleanup());

const target = (key: string) => (JSON.parse(key) as { target: string }).target;

describe('buildSftData', () => {
  it('never puts the same 20q word on both sides of the split', async () => {
    const s = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'all', output: join(resultsDir, 'out', 'sft.jsonl'), validationFraction: 0.3, seed: 4 });
    const train = readJsonLines(s.paths.train, SftRowSchema);
    const validation = readJsonLines(s.paths.validation, SftRowSchema);
    expect(train.length + validation.length).toBe(s.episodes_kept - s.duplicates);
    expect(validation.length).toBeGreaterThan(0);
    const trainWords = new Set(train.map((r) => target(r.metadata.instance_key)));
    const validationWords = new Set(validation.map((r) => target(r.metadata.instance_key)));
    expect([...validationWords].filter((w) => trainWords.has(w))).toEqual([]);
    // Some word was played in both experiments and kept its side.
    const experimentsOf = (w: string) => new Set([...train, ...validation].filter((r) => target(r.metadata.instance_key) === w).map((r) => r.metadata.experiment));
    expect([...trainWords, ...validationWords].some((w) => experimentsOf(w).size === 2)).toBe(true);
    expect(s.train_instances + s.validation_instances).toBe(trainWords.size + validationWords.size);
  });

  it('keeps won episodes by default, each row the Questioner\'s conversation ending with its last reply', async () => {
    const s = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', output: join(resultsDir, 'won.jsonl') });
    const rows = [...readJsonLines(s.paths.train, SftRowSchema), ...readJsonLines(s.paths.validation, SftRowSchema)];
    expect(s.episodes_kept).toBeGreaterThan(0);
    expect(s.episodes_kept).toBeLessThan(s.episodes_read);
    for (const r of rows) {
      expect(r.metadata.outcome).toBe('success');
      expect(r.messages[0]?.role).toBe('user');
      expect(r.messages.at(-1)?.role).toBe('assistant');
      expect(r.messages.at(-1)?.content.toLowerCase()).toContain(target(r.metadata.instance_key).toLowerCase());
    }
    const summary = JSON.parse(readFileSync(s.paths.summary, 'utf8')) as { train: number; validation: number };
    expect(summary.train + summary.validation).toBe(rows.length);
  });

  it('drops conversations that repeat an earlier one', async () => {
    const s = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'all', output: join(resultsDir, 'dedup.jsonl') });
    const rows = [...readJsonLines(s.paths.train, SftRowSchema), ...readJsonLines(s.paths.validation, SftRowSchema)];
    const distinct = new Set(rows.map((r) => JSON.stringify(r.messages)));
    expect(distinct.size).toBe(rows.length);
    expect(s.duplicates).toBeGreaterThan(0);
  });

  it('keeps the k best episodes per instance, or those above a Main Score', async () => {
    const top = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'top-k', topK: 1, output: join(resultsDir, 'top.jsonl') });
    // One episode per word (the words of both experiments are one instance each).
    expect(top.episodes_kept).toBe(158);
    expect(top.episodes_read).toBe(175);
    const min = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'min-score', minScore: 50, output: join(resultsDir, 'min.jsonl') });
    const rows = [...readJsonLines(min.paths.train, SftRowSchema), ...readJsonLines(min.paths.validation, SftRowSchema)];
    for (const r of rows) expect(r.metadata.main_score).toBeGreaterThanOrEqual(50);
    await expect(buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'min-score' })).rejects.toThrow('--filter min-score needs --min-score N');
  });

  it('reads only the experiments named', async () => {
    const s = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', filter: 'all', experiments: ['one_per_category'], output: join(resultsDir, 'exp.jsonl') });
    expect(s.episodes_read).toBe(17);
  });

  it('writes OpenAI\'s chat fine-tuning format on request, and names a role nobody played', async () => {
    const s = await buildSftData({ resultsDir, game: '20q', role: 'Questioner', format: 'openai', output: join(resultsDir, 'openai.jsonl') });
    expect(readJsonLines(s.paths.train, OpenAIChatRowSchema).length).toBe(s.train);
    await expect(buildSftData({ resultsDir, game: '20q', role: 'Guesser' })).rejects.toThrow(`no completed 20q episode with a Guesser player in ${resultsDir}`);
  });

  it('reads clemcore results (episode_N layout, players without roles) with --role naming a player', async () => {
    const root = tmp.make();
    const words = ['apple', 'river', 'violin'];
    words.forEach((word, k) => {
      const dir = join(root, 'llama3-t0.0--gpt-4o-t0.0', 'taboo', '0_high_en', `episode_${k}`);
      mkdirSync(dir, { recursive: true });
      const event = (from: string, to: string, type: string, content: string) => ({ from, to, timestamp: '2024-01-01T00:00:00', action: { type, content } });
      writeFileSync(join(dir, 'instance.json'), JSON.stringify({ game_id: k, target_word: word, related_word: ['x'] }));
      writeFileSync(join(dir, 'interactions.json'), JSON.stringify({
        meta: { game_name: 'taboo', experiment_name: 'high_en', game_id: k },
        players: { GM: 'Game master for taboo', 'Player 1': 'llama3', 'Player 2': 'gpt-4o' },
        turns: [[event('GM', 'Player 1', 'send message', `Describe ${word}.`), event('Player 1', 'GM', 'get message', `CLUE: about ${word}`), event('GM', 'Player 2', 'send message', 'Guess.'), event('Player 2', 'GM', 'get message', `GUESS: ${word}`)]],
      }));
      writeFileSync(join(dir, 'scores.json'), JSON.stringify({ 'turn scores': {}, 'episode scores': { Success: 1, Lose: 0, Aborted: 0, 'Main Score': 100 } }));
    });
    const s = await buildSftData({ resultsDir: root, game: 'taboo', role: 'Player 1', output: join(root, 'out', 'taboo.jsonl'), validationFraction: 0.34 });
    const rows = [...readJsonLines(s.paths.train, SftRowSchema), ...readJsonLines(s.paths.validation, SftRowSchema)];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.messages)).toEqual(expect.arrayContaining(words.map((w) => [{ role: 'user', content: `Describe ${w}.` }, { role: 'assistant', content: `CLUE: about ${w}` }])));
    expect(rows.map((r) => r.metadata)).toContainEqual(expect.objectContaining({ game: 'taboo', experiment: 'high_en', model: 'llama3', outcome: 'success', main_score: 100 }));
    expect([s.train, s.validation]).toEqual([2, 1]);
  });
});
