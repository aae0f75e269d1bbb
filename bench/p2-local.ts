/**
 * P2: local models side by side. A ~100M-parameter Llama shape (the tiny-model writer's bench100m preset, random
 * weights) through the `transformers` backend (ONNX fp32) and the `llamacpp` backend (GGUF f32, Q8_0, Q4_0),
 * greedy, at batch 1 and 8 concurrent requests: tokens/s, load time and peak memory, with the llamacpp /
 * transformers ratios. Then the Llama-3.2-1B shape (1.24B parameters, random weights): memory and tokens/s of the
 * transformers backend (fp32, what llama-1b-lora runs) and of llamacpp Q8_0 and Q4_0 (Q4_0 stands in for the
 * Q4_K_M file the llama-1b-gguf entry downloads: the writer has no K-quants).
 * Every load runs in its own process (its peak memory is its own); each rate is the fastest of the repeats, and
 * the CPU time per token (all threads of the process) is printed beside it: on a shared machine it shows what
 * batching saves even when other work slows the wall clock.
 * Environment: P2_REPEATS (default 3), P2_TOKENS (new tokens per request, default 32), P2_1B=0 skips the 1B shape,
 * P2_ONLY_1B=1 runs only it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { P2Measurement, P2MeasureJob, P2WriteJob, P2Written } from './p2-worker.js';

const WORKER = fileURLToPath(new URL('./p2-worker.js', import.meta.url));

function worker<T>(job: P2WriteJob | P2MeasureJob): T {
  const out = execFileSync(process.execPath, [WORKER, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T;
}

interface Row {
  label: string;
  file: string;
  m: P2Measurement;
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
const pad = (s: string, n: number) => s.padEnd(n);

function table(rows: Row[], batches: number[]): void {
  const head = `  ${pad('backend, weights', 30)} ${pad('file', 10)} ${pad('threads', 8)} ${pad('load', 7)} ${batches.map((b) => pad(`batch ${b} tok/s`, 15)).join(' ')} ${pad('8/1', 6)} ${batches.map((b) => pad(`b${b} cpu ms/tok`, 13)).join(' ')} peak RSS`;
  console.log(head);
  for (const r of rows) {
    const rates = batches.map((b) => pad((r.m.rates[b] ?? 0).toFixed(1), 15)).join(' ');
    const ratio = r.m.rates[8] && r.m.rates[1] ? `${(r.m.rates[8] / r.m.rates[1]).toFixed(2)}x` : '-';
    const cpu = batches.map((b) => pad((r.m.cpuMsPerToken[b] ?? 0).toFixed(1), 13)).join(' ');
    console.log(`  ${pad(r.label, 30)} ${pad(r.file, 10)} ${pad(String(r.m.threads ?? 'default'), 8)} ${pad(`${r.m.loadS.toFixed(1)} s`, 7)} ${rates} ${pad(ratio, 6)} ${cpu} ${(r.m.peakRssMb / 1024).toFixed(2)} GiB`);
  }
}

function size(path: string): string {
  return gib(statSync(path).size);
}

function onnxSize(dir: string): string {
  const onnx = join(dir, 'onnx');
  return gib(readdirSync(onnx).reduce((s, f) => s + statSync(join(onnx, f)).size, 0));
}

interface P2Options {
  root: string;
  repeats: number;
  maxTokens: number;
  cores: number;
}

const BATCHES = [1, 8];

/** The 100M shape through both backends and four weight types, side by side. */
function run100m(o: P2Options): void {
  const dir = join(o.root, 'bench100m');
  const w = worker<P2Written>({ kind: 'write', dir, preset: 'bench100m', onnx: true, gguf: ['F32', 'Q8_0', 'Q4_0'] });
  console.log(`\n100M shape (bench100m, ${(w.parameters / 1e6).toFixed(1)}M parameters; written in ${w.seconds.toFixed(1)} s)`);
  const measure = (backend: P2MeasureJob['backend'], model: string, threads?: number) =>
    worker<P2Measurement>({ kind: 'measure', backend, model, batches: BATCHES, maxTokens: o.maxTokens, repeats: o.repeats, ...(threads === undefined ? {} : { threads }) });
  const rows: Row[] = [
    { label: 'transformers, ONNX fp32', file: onnxSize(dir), m: measure('transformers', dir) },
    { label: 'llamacpp, GGUF f32', file: size(w.files.F32 ?? ''), m: measure('llamacpp', w.files.F32 ?? '') },
    { label: 'llamacpp, GGUF Q8_0', file: size(w.files.Q8_0 ?? ''), m: measure('llamacpp', w.files.Q8_0 ?? '') },
    { label: 'llamacpp, GGUF Q4_0', file: size(w.files.Q4_0 ?? ''), m: measure('llamacpp', w.files.Q4_0 ?? '') },
    { label: 'llamacpp, GGUF Q8_0, all cores', file: size(w.files.Q8_0 ?? ''), m: measure('llamacpp', w.files.Q8_0 ?? '', o.cores) },
  ];
  table(rows, BATCHES);
  const [onnx, f32, q8] = rows;
  const ratio = (a: Row | undefined, b: Row | undefined, batch: number) => ((a?.m.rates[batch] ?? 0) / (b?.m.rates[batch] ?? 1)).toFixed(2);
  console.log(`  llamacpp f32 / transformers: batch 1 ${ratio(f32, onnx, 1)}x, batch 8 ${ratio(f32, onnx, 8)}x; llamacpp Q8_0 / f32: batch 1 ${ratio(q8, f32, 1)}x, batch 8 ${ratio(q8, f32, 8)}x`);
  rmSync(dir, { recursive: true, force: true });
}

/** The Llama-3.2-1B shape: the memory and speed the packaged llama-1b-lora (fp32 ONNX) and GGUF entries need. */
function run1b(o: P2Options): void {
  const big = join(o.root, 'llama1b');
  const w = worker<P2Written>({ kind: 'write', dir: big, preset: 'llama1b', onnx: true, gguf: ['Q8_0', 'Q4_0'] });
  console.log(`\nLlama-3.2-1B shape (${(w.parameters / 1e9).toFixed(2)}B parameters, random weights; written in ${w.seconds.toFixed(0)} s): what llama-1b-lora and llama-1b-gguf need`);
  const measure = (backend: P2MeasureJob['backend'], model: string) =>
    worker<P2Measurement>({ kind: 'measure', backend, model, batches: BATCHES, maxTokens: Math.min(o.maxTokens, 16), repeats: Math.max(1, Math.min(o.repeats, 2)) });
  table(
    [
      { label: 'transformers, ONNX fp32', file: onnxSize(big), m: measure('transformers', big) },
      { label: 'llamacpp, GGUF Q8_0', file: size(w.files.Q8_0 ?? ''), m: measure('llamacpp', w.files.Q8_0 ?? '') },
      { label: 'llamacpp, GGUF Q4_0', file: size(w.files.Q4_0 ?? ''), m: measure('llamacpp', w.files.Q4_0 ?? '') },
    ],
    BATCHES,
  );
  rmSync(big, { recursive: true, force: true });
}

/** Runs the benchmark and prints its figures. */
export async function runP2(): Promise<void> {
  const o: P2Options = {
    root: mkdtempSync(join(tmpdir(), 'clem-bench-p2-')),
    repeats: Number(process.env.P2_REPEATS ?? 3),
    maxTokens: Number(process.env.P2_TOKENS ?? 32),
    cores: availableParallelism(),
  };
  try {
    console.log(`P2 local models: random Llama weights, greedy, ${o.maxTokens} new tokens per request, best of ${o.repeats}; ${o.cores} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    if (process.env.P2_ONLY_1B !== '1') run100m(o);
    if (process.env.P2_1B !== '0') run1b(o);
    console.log(`  load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    rmSync(o.root, { recursive: true, force: true });
  }
}
