import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LlamaWeights, SafetensorsFile, type TinyLlamaModel, logSoftmaxRows, referenceLogits, writeTinyLlama } from '../backends/onnx/index.js';
import { loadChatTokenizer } from '../backends/transformers/index.js';
import { run } from '../core/runner.js';
import { expectedInformationGain, filterCandidates, yesCandidates } from '../games/20q/info-gain.js';
import { MAPPER } from '../games/20q/question-mapper.js';
import { readQuestionerHistory } from '../games/20q/strategies.js';
import { WORDS } from '../games/20q/words.js';
import { DpoRowSchema, SftRowSchema } from '../learners/datasets/formats.js';
import { readJsonLines } from '../learners/datasets/jsonl.js';
import { KeyRing } from '../registry/keys.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';
import { type Json, preferenceRowProblems, schemaProblems, sftRowProblems } from './helpers/trl-formats.js';

/**
 * End to end: 20q episodes played by the tiny local model (and the random-kb baseline) → `learn sft-data` and
 * `learn dpo-data` with the EIG reward and the knowledge-base oracle, through the spawned CLI; the files are checked
 * as TRL reads them, and the rewards and reference log-probabilities are recomputed independently.
 */
const tmp = tempDirs('clem-learn-20q-');
let cwd: string;
let tiny: TinyLlamaModel;
let weights: LlamaWeights;

const lines = (file: string): Record<string, Json>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, Json>);

beforeAll(async () => {
  cwd = tmp.make();
  tiny = writeTinyLlama(join(cwd, 'models', 'tiny-llama'), { seed: 7 });
  const f = SafetensorsFile.open(join(tiny.dir, 'model.safetensors'));
  weights = new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
  writeFileSync(
    join(cwd, 'model_registry.json'),
    JSON.stringify([{ model_name: 'tiny-llama', backend: 'transformers', huggingface_id: 'models/tiny-llama', model_config: { premade_chat_template: true } }]),
  );
  const common = { games: ['20q'], resultsDir: join(cwd, 'results'), cwd, env: {}, keys: KeyRing.empty(), concurrency: 3 };
  expect((await run({ ...common, models: ['tiny-llama'], limit: 3, maxTokens: 12 })).played).toBe(3);
  expect((await run({ ...common, models: ['random-kb'], limit: 6 })).played).toBe(6);
}, 120_000);
afterAll(() => tmp.cleanup());

/** Expected information gain of `question` after the questions and answers in `prompt`; null when the KB cannot map it. */
function eig(prompt: { role: 'system' | 'user' | 'assistant'; content: string }[], question: string): number | null {
  let candidates = WORDS.map((w) => w.word);
  for (const asked of readQuestionerHistory(prompt).asked) if (asked.answer !== null) candidates = filterCandidates(MAPPER.map(asked.question), asked.answer, candidates);
  const yes = yesCandidates(MAPPER.map(question), candidates);
  return yes === null ? null : expectedInformationGain(yes.length, candidates.length);
}

describe.skipIf(!cliIsBuilt())(`learn on 20q episodes of the tiny local model (${CLI})`, () => {
  it('sft-data writes conversational rows TRL reads, no word on both sides', async () => {
    const r = await runCli(['learn', 'sft-data', '-r', 'results', '-g', '20q', '--role', 'Questioner', '--filter', 'all', '--validation', '0.3', '-o', 'out/sft.jsonl'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sft-data 20q\/Questioner: 9 episode\(s\) read, 9 kept/);
    const train = lines(join(cwd, 'out', 'sft.train.jsonl'));
    const validation = lines(join(cwd, 'out', 'sft.validation.jsonl'));
    const all = [...train, ...validation];
    expect(all.flatMap(sftRowProblems)).toEqual([]);
    expect(schemaProblems(all)).toEqual([]);
    readJsonLines(join(cwd, 'out', 'sft.train.jsonl'), SftRowSchema);
    const word = (row: Record<string, Json>) => (JSON.parse((row.metadata as { instance_key: string }).instance_key) as { target: string }).target;
    const trainWords = new Set(train.map(word));
    expect(validation.filter((row) => trainWords.has(word(row)))).toEqual([]);
    expect(new Set(all.map((row) => (row.metadata as { model: string }).model))).toEqual(new Set(['tiny-llama', 'random-kb']));
  }, 60_000);

  it('dpo-data with the EIG reward: preference rows TRL reads, the chosen question never gains less than the rejected one', async () => {
    const args = ['learn', 'dpo-data', '-r', 'results', '-g', '20q', '--role', 'Questioner', '-m', 'random-kb', '--reward', 'eig', '-k', '4', '--models', 'random-kb'];
    const r = await runCli([...args, '--ref-model', 'tiny-llama', '--max-states', '40', '--seed', '3', '-o', 'out/dpo.jsonl'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'out', 'dpo.summary.json'), 'utf8')) as { pairs: number; states: number };
    expect(summary.pairs).toBeGreaterThan(5);
    expect(r.stdout).toContain(`${summary.pairs} pair(s) from ${summary.states} state(s)`);
    const rows = [...lines(join(cwd, 'out', 'dpo.train.jsonl')), ...lines(join(cwd, 'out', 'dpo.validation.jsonl'))];
    expect(rows).toHaveLength(summary.pairs);
    expect(rows.flatMap(preferenceRowProblems)).toEqual([]);
    expect(schemaProblems(rows)).toEqual([]);
    const typed = rows.map((row) => DpoRowSchema.parse(row));
    let compared = 0;
    for (const row of typed) {
      const chosen = eig(row.prompt, row.chosen[0]?.content ?? '');
      const rejected = eig(row.prompt, row.rejected[0]?.content ?? '');
      if (chosen === null || rejected === null) continue;
      compared++;
      expect(chosen).toBeGreaterThanOrEqual(rejected);
      expect(row.score_chosen).toBeCloseTo(chosen, 9);
      expect(row.score_rejected).toBeCloseTo(rejected, 9);
    }
    expect(compared).toBeGreaterThan(5);

    // The stored reference log-probabilities are the tiny model's, recomputed with the plain-TypeScript forward pass.
    const chat = await loadChatTokenizer(tiny.dir);
    const row = typed[0] as (typeof typed)[number];
    for (const [reply, stored] of [[row.chosen[0]?.content ?? '', row.ref_chosen_logps], [row.rejected[0]?.content ?? '', row.ref_rejected_logps]] as const) {
      const t = chat.tokenize([...row.prompt, { role: 'assistant', content: reply }]);
      const span = t.spans.at(-1) as { start: number; end: number };
      const V = tiny.config.vocabSize;
      const lsm = logSoftmaxRows(referenceLogits(tiny.config, weights, t.ids.slice(0, span.end)), V);
      let sum = 0;
      for (let i = span.start; i < span.end; i++) sum += lsm[(i - 1) * V + (t.ids[i] as number)] as number;
      expect(stored).toBeCloseTo(sum, 2);
    }
  }, 120_000);

  it('dpo-data samples from the tiny local model as the policy', async () => {
    const r = await runCli(
      ['learn', 'dpo-data', '-r', 'results', '-g', '20q', '--role', 'Questioner', '-m', 'tiny-llama', '--reward', 'eig', '-k', '3', '-l', '12', '--models', 'tiny-llama', '-o', 'out/tiny.jsonl'],
      { cwd },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'out', 'tiny.summary.json'), 'utf8')) as { states: number; pairs: number; skipped: Record<string, number> };
    expect(summary.states).toBeGreaterThanOrEqual(3);
    expect(summary.pairs + Object.values(summary.skipped).reduce((a, b) => a + b, 0)).toBe(summary.states);
    expect(r.stderr).toMatch(/\[\d+\/\d+\] \d+ pair\(s\) \| ETA/);
  }, 120_000);
});
