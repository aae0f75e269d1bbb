/**
 * One P2 step in its own process (so its peak memory is its own): `node p2-worker.js '<job json>'` prints one JSON
 * line. Jobs: `write` (a random Llama of a preset as ONNX and/or GGUF files) and `measure` (load a model through
 * a backend and time greedy generation at several batch sizes).
 */
import { readFileSync } from 'node:fs';
import { type LlamaGgufType, type TinyLlamaPreset, parameterCount, writeTinyLlama } from '../backends/onnx/index.js';
import type { Backend } from '../backends/backend.js';
import { KeyRing } from '../registry/keys.js';

export interface P2WriteJob {
  kind: 'write';
  dir: string;
  preset: TinyLlamaPreset;
  onnx: boolean;
  gguf: LlamaGgufType[];
}

export interface P2MeasureJob {
  kind: 'measure';
  backend: 'transformers' | 'llamacpp';
  /** Model folder (transformers) or .gguf file (llamacpp). */
  model: string;
  batches: number[];
  maxTokens: number;
  repeats: number;
  /** llamacpp threads (default: the backend's). */
  threads?: number;
}

export interface P2Measurement {
  loadS: number;
  /** Resident memory after loading and after the runs, and the process's peak, in MiB. */
  rssLoadedMb: number;
  peakRssMb: number;
  /** Tokens per second by batch size: the fastest repeat (other work on the machine only slows a run down). */
  rates: Record<string, number>;
  /** Every repeat's seconds by batch size. */
  seconds: Record<string, number[]>;
  /** CPU time of the process (all threads) per generated token by batch size, the least of the repeats: robust to other work on the machine. */
  cpuMsPerToken: Record<string, number>;
  threads: number | null;
}

export interface P2Written {
  seconds: number;
  parameters: number;
  files: Record<string, string>;
}

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

/** Peak resident memory of this process (Linux VmHWM), in MiB. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function load(job: P2MeasureJob): Promise<Backend> {
  const deps = { keys: KeyRing.empty(), cacheDir: `${job.model}.cache`, env: {} };
  if (job.backend === 'transformers') {
    const { createTransformersBackend } = await import('../backends/transformers/index.js');
    return createTransformersBackend({ model_name: 'p2', backend: 'transformers', huggingface_id: job.model, model_config: { max_batch_size: 8, memory_check: false } }, deps);
  }
  const { createLlamaCppBackend } = await import('../backends/llamacpp/index.js');
  const cfg = { max_batch_size: 8, n_ctx: 256, execute_on: 'cpu', memory_check: false, ...(job.threads === undefined ? {} : { threads: job.threads }) };
  return createLlamaCppBackend({ model_name: 'p2', backend: 'llamacpp', huggingface_id: job.model, model_config: cfg }, deps);
}

async function measure(job: P2MeasureJob): Promise<P2Measurement> {
  const start = performance.now();
  const backend = await load(job);
  const loadS = (performance.now() - start) / 1000;
  const rssLoadedMb = process.memoryUsage().rss / 2 ** 20;
  const seconds: Record<string, number[]> = {};
  const rates: Record<string, number> = {};
  const cpuMsPerToken: Record<string, number> = {};
  try {
    // Each request starts with its own tag, so no request finds its prompt already evaluated (llamacpp reuses a
    // sequence's cached prefix; that saving is real in games but would flatter one batch size here).
    const request = (i: number, tag: string) =>
      backend.generate({ messages: [{ role: 'user', content: `[${tag}.${i}] ${PROMPTS[i % PROMPTS.length] ?? ''}` }], args: { temperature: 0, maxTokens: job.maxTokens } });
    await request(0, 'warm-up');
    for (let rep = 0; rep < job.repeats; rep++) {
      // batch sizes interleaved (1, 8, 1, 8, …) so that all see the same background load
      for (const batch of job.batches) {
        const t = performance.now();
        const cpu = process.cpuUsage();
        const results = await Promise.all(Array.from({ length: batch }, (_, i) => request(i, `${rep}-${batch}`)));
        const s = (performance.now() - t) / 1000;
        const used = process.cpuUsage(cpu);
        const tokens = results.reduce((sum, r) => sum + r.usage.outputTokens, 0);
        (seconds[batch] ??= []).push(s);
        rates[batch] = Math.max(rates[batch] ?? 0, tokens / s);
        cpuMsPerToken[batch] = Math.min(cpuMsPerToken[batch] ?? Infinity, (used.user + used.system) / 1000 / tokens);
      }
    }
  } finally {
    await backend.close();
  }
  return { loadS, rssLoadedMb, peakRssMb: peakRssMb(), rates, seconds, cpuMsPerToken, threads: job.threads ?? null };
}

function write(job: P2WriteJob): P2Written {
  const start = performance.now();
  const model = writeTinyLlama(job.dir, { preset: job.preset, seed: 1, safetensors: false, skipOnnx: !job.onnx, gguf: job.gguf, externalData: 'auto' });
  const files: Record<string, string> = { ...model.ggufFiles };
  return { seconds: (performance.now() - start) / 1000, parameters: parameterCount(model.config), files };
}

const job = JSON.parse(process.argv[2] ?? '{}') as P2WriteJob | P2MeasureJob;
const result = job.kind === 'write' ? write(job) : await measure(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
