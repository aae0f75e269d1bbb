import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { hashSeed } from '../base/rng.js';
import { run } from '../core/runner.js';
import { DpoRowSchema } from '../learners/datasets/formats.js';
import { KeyRing } from '../registry/keys.js';
import { cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';
import { type Json, preferenceRowProblems, schemaProblems } from './helpers/trl-formats.js';

/**
 * `learn dpo-data` with every reward 20q has besides eig (tested in learn-20q.test.ts): uot, mr, logprob, judge and
 * refeval, through the spawned CLI. The judge is an OpenAI-compatible server on 127.0.0.1 whose verdicts are JSON
 * with numbers drawn from a hash of the prompt (so candidates differ); the scorer, and RefEval's judge, is the tiny
 * local model (score() gives RefEval its verdict log-probabilities).
 */
const tmp = tempDirs('clem-dpo-rewards-');
let cwd: string;
let server: Server;
let judged = 0;

beforeAll(async () => {
  cwd = tmp.make();
  writeTinyLlama(join(cwd, 'models', 'tiny-llama'), { seed: 7 });
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => {
      const body = JSON.parse(raw) as { model: string; messages: { content: string }[] };
      const prompt = body.messages.map((m) => m.content).join('\n');
      const unit = (salt: string) => (hashSeed(salt, prompt) % 1001) / 1000;
      judged++;
      const verdict = { thought: 'judged', interactivity: unit('i'), accuracy: unit('a'), information_gain: unit('g') };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'j', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: `Verdict: ${JSON.stringify(verdict)}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }));
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  writeFileSync(
    join(cwd, 'model_registry.json'),
    JSON.stringify([
      { model_name: 'tiny-llama', backend: 'transformers', huggingface_id: 'models/tiny-llama', model_config: { premade_chat_template: true } },
      { model_name: 'loop-judge', backend: 'openai_compatible', base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` },
    ]),
  );
  expect((await run({ games: ['20q'], models: ['random-kb'], resultsDir: join(cwd, 'results'), limit: 2, cwd, env: {}, keys: KeyRing.empty() })).played).toBe(2);
}, 60_000);
afterAll(async () => {
  server.close();
  await once(server, 'close');
  tmp.cleanup();
});

// The tiny random model gives every target a probability near 1e-5, so logprob's gaps are tiny: min gap 0 there.
// RefEval judges k·(k−1) ordered pairs with two score() calls each on long prompts: two states, two candidates.
const cases: { reward: string; extra: string[]; states: number; k: number; minGap: number; judge?: boolean }[] = [
  { reward: 'uot', extra: [], states: 5, k: 3, minGap: 0.01 },
  { reward: 'mr', extra: ['--judge', 'loop-judge', '--reward-option', 'samples=2', '--reward-option', 'window=2'], states: 5, k: 3, minGap: 0.01, judge: true },
  { reward: 'logprob', extra: ['--scorer', 'tiny-llama'], states: 3, k: 3, minGap: 0 },
  { reward: 'judge', extra: ['--judge', 'loop-judge'], states: 5, k: 3, minGap: 0.01, judge: true },
  { reward: 'refeval', extra: ['--judge', 'tiny-llama'], states: 2, k: 2, minGap: 0 },
];

describe.skipIf(!cliIsBuilt())('learn dpo-data with each 20q reward', () => {
  it.each(cases)('$reward writes TRL preference rows, best above worst by the minimum gap', async ({ reward, extra, states, k, minGap, judge }) => {
    judged = 0;
    const out = `out/${reward}.jsonl`;
    const r = await runCli(['learn', 'dpo-data', '-r', 'results', '-g', '20q', '--role', 'Questioner', '-m', 'random-kb', '--reward', reward, '-k', String(k), '--max-states', String(states), '--min-gap', String(minGap), ...extra, '-o', out], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'out', `${reward}.summary.json`), 'utf8')) as { states: number; pairs: number; skipped: Record<string, number>; reward: string };
    expect(summary).toMatchObject({ states, reward });
    expect(summary.pairs + Object.values(summary.skipped).reduce((a, b) => a + b, 0)).toBe(states);
    expect(summary.pairs).toBeGreaterThan(0);
    const rows = ['train', 'validation'].flatMap((s) => readFileSync(join(cwd, 'out', `${reward}.${s}.jsonl`), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, Json>));
    expect(rows).toHaveLength(summary.pairs);
    expect(rows.flatMap(preferenceRowProblems)).toEqual([]);
    expect(schemaProblems(rows)).toEqual([]);
    for (const row of rows.map((x) => DpoRowSchema.parse(x))) {
      expect(row.score_chosen - row.score_rejected).toBeGreaterThanOrEqual(minGap);
      expect(row.chosen[0]?.content).not.toBe(row.rejected[0]?.content);
      const scored = row.metadata.scores.filter((s): s is number => s !== null);
      expect([Math.max(...scored), Math.min(...scored)]).toEqual([row.score_chosen, row.score_rejected]);
    }
    if (judge) expect(judged).toBeGreaterThan(0);
  }, 120_000);
});
