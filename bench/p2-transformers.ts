/**
 * P2: generation throughput of the transformers backend on a ~100M-parameter Llama-shaped random model
 * (written by the tiny-model writer into a temporary folder), at batch 1, 4 and 8 concurrent requests.
 * Prints tokens per second per batch size and the batch-8 / batch-1 ratio (target ≥ 3×).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { createTransformersBackend } from '../backends/transformers/index.js';
import { KeyRing } from '../registry/keys.js';

const MAX_TOKENS = 32;
const BATCH_SIZES = [1, 4, 8] as const;
/** Each batch size runs this many times and the fastest run counts (the machine may be shared). */
const REPEATS = 3;

const PROMPTS = [
  'Let us play twenty questions. Is it an animal?',
  'Describe the word apple without saying fruit, red or tree.',
  'Is it bigger than a bread box? Answer yes or no.',
  'Guess the five letter word. Your first guess is:',
  'The answer is an elephant. Ask your next question.',
  'Please answer with yes or no only. Is it a tool?',
  'You are the Questioner. Ask a question about the object.',
  'Thank you for playing. What was the word?',
];

/** Runs the benchmark and prints its figures (tokens per second by batch size and the batch-8/batch-1 ratio). */
export async function runP2(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'clem-bench-p2-'));
  try {
    const writeStart = performance.now();
    const model = writeTinyLlama(join(root, 'bench100m'), { preset: 'bench100m', safetensors: false });
    const writeS = (performance.now() - writeStart) / 1000;
    console.log(`P2 transformers backend: random Llama ${(model.parameterCount / 1e6).toFixed(1)}M params (written in ${writeS.toFixed(1)} s), greedy, ${MAX_TOKENS} new tokens per request`);
    const loadStart = performance.now();
    const backend = await createTransformersBackend(
      { model_name: 'bench100m', backend: 'transformers', huggingface_id: join(root, 'bench100m'), model_config: { max_batch_size: 8 } },
      { keys: KeyRing.empty(), cacheDir: join(root, 'cache') },
    );
    console.log(`  load: ${((performance.now() - loadStart) / 1000).toFixed(2)} s`);
    const rates: Record<number, number> = {};
    try {
      const request = (i: number) => backend.generate({ messages: [{ role: 'user', content: PROMPTS[i % PROMPTS.length] ?? '' }], args: { temperature: 0, maxTokens: MAX_TOKENS } });
      await request(0); // warm-up
      // Batch sizes are interleaved (1, 4, 8, 1, 4, 8, …) so that all see the same background load.
      const runs = new Map<number, { seconds: number; tokens: number; rows: (number | undefined)[] }[]>();
      for (let rep = 0; rep < REPEATS; rep++) {
        for (const batch of BATCH_SIZES) {
          const start = performance.now();
          const results = await Promise.all(Array.from({ length: batch }, (_, i) => request(i)));
          const seconds = (performance.now() - start) / 1000;
          const tokens = results.reduce((s, r) => s + r.usage.outputTokens, 0);
          const list = runs.get(batch) ?? [];
          list.push({ seconds, tokens, rows: results.map((r) => (r.call.request as { batchRows?: number }).batchRows) });
          runs.set(batch, list);
        }
      }
      for (const [batch, list] of runs) {
        const best = list.reduce((a, b) => (b.tokens / b.seconds > a.tokens / a.seconds ? b : a));
        rates[batch] = best.tokens / best.seconds;
        const all = list.map((r) => r.seconds.toFixed(2)).join(' / ');
        console.log(`  batch ${batch}: ${best.tokens} tokens in ${best.seconds.toFixed(2)} s = ${rates[batch]?.toFixed(1)} tok/s (best of ${all} s; rows per generate call: ${best.rows.join(',')})`);
      }
    } finally {
      await backend.close();
    }
    const ratio = (rates[8] ?? 0) / (rates[1] ?? 1);
    console.log(`  batch8/batch1 throughput ratio: ${ratio.toFixed(2)}x (target >= 3x); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
