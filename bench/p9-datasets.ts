/**
 * P9: learners' data. (1) score(): k continuations of a 20q Questioner state scored one at a time vs concurrently (one
 * batched forward) on a ~100M-parameter random Llama (vocab 32000); prints seconds and the ratio. (2) dpo-data on 20
 * random-kb 20q episodes with the EIG reward and with MR (interactivity weight 0: no LLM judge here): states, pairs,
 * mean chosen vs rejected reward, seconds per pair; then EIG with the 100M model as reference (seconds per pair).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../backends/backend.js';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { createTransformersBackend } from '../backends/transformers/index.js';
import { run } from '../core/runner.js';
import { buildDpoData } from '../learners/datasets/dpo-data.js';
import { KeyRing } from '../registry/keys.js';

const K = 8;
const REPEATS = 3;
const CANDIDATES = ['Is it an animal?', 'Is it a fruit?', 'Is it made of metal?', 'Is it bigger than a car?', 'Is it used in the kitchen?', 'Can you eat it?', 'Is it a tool?', 'Does it have wheels?'];

async function scoreBench(root: string): Promise<void> {
  const backend = await createTransformersBackend({ model_name: 'bench100m', backend: 'transformers', huggingface_id: join(root, 'bench100m') }, { keys: KeyRing.empty(), cacheDir: join(root, 'cache') });
  try {
    const history: ChatMessage[] = [{ role: 'user', content: "Let's play 20 Questions. I am thinking of a common thing. Find it by asking yes/no questions.\nAsk question 1 of 20." }];
    for (let q = 0; q < 6; q++) history.push({ role: 'assistant', content: CANDIDATES[q] as string }, { role: 'user', content: `No.\n\nAsk question ${q + 2} of 20.` });
    const requests = CANDIDATES.slice(0, K).map((continuation) => ({ messages: history, continuation }));
    await backend.score?.(requests[0] as (typeof requests)[number]);
    let alone = Infinity;
    let together = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      let t = performance.now();
      for (const request of requests) await backend.score?.(request);
      alone = Math.min(alone, (performance.now() - t) / 1000);
      t = performance.now();
      const rows = await Promise.all(requests.map((request) => backend.score?.(request)));
      together = Math.min(together, (performance.now() - t) / 1000);
      if (rows[0]?.batchRows !== K) console.log(`  (warning: the batch held ${rows[0]?.batchRows} rows, not ${K})`);
    }
    console.log(`  score(): ${K} continuations one at a time ${alone.toFixed(2)} s, concurrently (one forward) ${together.toFixed(2)} s: ${(alone / together).toFixed(2)}× faster`);
  } finally {
    await backend.close();
  }
}

async function dpoBench(root: string): Promise<void> {
  writeFileSync(join(root, 'model_registry.json'), JSON.stringify([{ model_name: 'bench100m', backend: 'transformers', huggingface_id: 'bench100m' }]));
  const common = { cwd: root, env: { CLEM_TS_CACHE: join(root, 'cache') }, keys: KeyRing.empty() };
  await run({ ...common, games: ['20q'], models: ['random-kb'], experiment: 'all_words', limit: 20, concurrency: 4, resultsDir: join(root, 'results') });
  const variants = [
    { label: 'eig', reward: 'eig', rewardOptions: {} },
    { label: 'mr (interactivity weight 0)', reward: 'mr', rewardOptions: { weights: { interactivity: 0 } } },
    { label: 'eig + reference bench100m', reward: 'eig', rewardOptions: {}, refModel: 'bench100m', maxStates: 40 },
  ];
  for (const [i, v] of variants.entries()) {
    const start = performance.now();
    const s = await buildDpoData({
      ...common, resultsDir: join(root, 'results'), game: '20q', role: 'Questioner', policy: 'random-kb', reward: v.reward, rewardOptions: v.rewardOptions,
      k: 4, seed: 1, output: join(root, 'out', `${i}.jsonl`), ...(v.refModel ? { refModel: v.refModel, maxStates: v.maxStates } : {}),
    });
    const wall = (performance.now() - start) / 1000;
    const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
    console.log(
      `  dpo-data ${v.label}: ${s.pairs} pairs from ${s.states} states; mean reward chosen ${f(s.mean_score_chosen)} vs rejected ${f(s.mean_score_rejected)}; ` +
        `${(wall / Math.max(1, s.pairs)).toFixed(3)} s per pair (wall), ${f(s.seconds_per_pair)} s per pair (summed state time)`,
    );
  }
}

/** Runs the benchmark and prints its figures. */
export async function runP9(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'clem-bench-p9-'));
  try {
    const model = writeTinyLlama(join(root, 'bench100m'), { preset: 'bench100m', safetensors: false });
    console.log(`P9 learners' data: random Llama ${(model.parameterCount / 1e6).toFixed(1)}M params`);
    await scoreBench(root);
    await dpoBench(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
