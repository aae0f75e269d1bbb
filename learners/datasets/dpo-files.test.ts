import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { writeDpoFiles } from './dpo-files.js';
import type { DpoState } from './dpo-pairs.js';
import { type DpoRow, OpenAIPreferenceRowSchema } from './formats.js';
import type { JournalEntry } from './journal.js';
import { readJsonLines } from './jsonl.js';
import { datasetPaths } from './output.js';

const tmp = tempDirs('clem-dpo-files-');
afterEach(() => tmp.cleanup());

const metadata = (id: string, word: string): DpoRow['metadata'] => ({
  game: '20q', experiment: 'e', game_id: 0, episode: id, role: 'Questioner', player: 'Player 1', model: 'm', outcome: 'lose', main_score: null,
  instance_key: JSON.stringify({ target: word }), split: 'train', turn: 0, state_id: id, reward: 'eig', policy: 'p', candidates: 2, scores: [1, 0],
  recorded_reply: 'Is it red?', ref_model: null,
});
const entry = (id: string, word: string, pair: boolean): JournalEntry => ({
  state_id: id,
  pair: pair
    ? { prompt: [{ role: 'user', content: `Ask (${id}).` }], chosen: [{ role: 'assistant', content: 'Is it alive?' }], rejected: [{ role: 'assistant', content: 'Is it a cat?' }], score_chosen: 1, score_rejected: 0, metadata: metadata(id, word) }
    : null,
  // a journal of an older version wrote the gap into the reason; it counts with today's
  skipped: pair ? null : id.endsWith('#0') ? `reward gap 0.00${id.length} is below the minimum 0.02` : 'reward gap below --min-gap 0.02',
  scores: [1, 0],
  seconds: 2,
});

describe('writeDpoFiles', () => {
  const words = ['Apple', 'Cat', 'Car', 'Tree', 'Hammer', 'Lake'];
  const states = words.flatMap((w) => [0, 1].map((t) => ({ id: `${w}#${t}`, metadata: { instance_key: JSON.stringify({ target: w }) } }) as DpoState));

  it('writes in state order whatever the journal order, and the same files from a shuffled journal', () => {
    const entries = states.map((s, i) => entry(s.id, JSON.parse(s.metadata.instance_key).target as string, i % 3 !== 2));
    const o = { game: '20q', role: 'Questioner', reward: 'eig', validationFraction: 0.34, seed: 1 };
    const a = datasetPaths(join(tmp.make(), 'a.jsonl'), '', '20q', 'Questioner', 'dpo');
    const b = datasetPaths(join(tmp.make(), 'b.jsonl'), '', '20q', 'Questioner', 'dpo');
    const summary = writeDpoFiles(o, states, new Map(entries.map((e) => [e.state_id, e])), a, { policy: 'p', ref: null });
    writeDpoFiles(o, states, new Map([...entries].reverse().map((e) => [e.state_id, e])), b, { policy: 'p', ref: null });
    for (const side of ['train', 'validation'] as const) expect(readFileSync(b[side], 'utf8')).toBe(readFileSync(a[side], 'utf8'));
    expect(summary).toMatchObject({ states: 12, pairs: 8, skipped: { 'reward gap below --min-gap 0.02': 4 }, seconds_per_state: 2, seconds_per_pair: 3 });
    expect(summary.train + summary.validation).toBe(8);
    expect(summary.validation).toBeGreaterThan(0);
  });

  it('writes OpenAI\'s preference format on request', () => {
    const entries = states.map((s) => entry(s.id, JSON.parse(s.metadata.instance_key).target as string, true));
    const paths = datasetPaths(join(tmp.make(), 'o.jsonl'), '', '20q', 'Questioner', 'dpo');
    writeDpoFiles({ game: '20q', role: 'Questioner', reward: 'eig', format: 'openai', validationFraction: 0 }, states, new Map(entries.map((e) => [e.state_id, e])), paths, { policy: 'p', ref: null });
    const rows = readJsonLines(paths.train, OpenAIPreferenceRowSchema);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({ input: { messages: [{ role: 'user', content: 'Ask (Apple#0).' }] }, preferred_output: [{ role: 'assistant', content: 'Is it alive?' }], non_preferred_output: [{ role: 'assistant', content: 'Is it a cat?' }] });
  });
});
