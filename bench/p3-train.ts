/**
 * P3: training throughput of the built-in engine's ONNX training graph. For a ~35M and a ~160M Llama shape
 * (random weights): tokens/s and effective GFLOP/s of a LoRA SFT step and a DPO step (forward + backward,
 * LoRA defaults r 32, alpha 16 on all seven projections; dropout 0.1 for SFT, none for DPO as the trainer runs
 * it) over the matmul FLOPs the step must do (p3-shapes.ts), beside ORT's matmul ceiling: the step's own big
 * matmuls run alone with the same rows, weights and threads (p3-ceiling.ts; the headline), and beside it a plain
 * ORT GEMM ceiling (one 2048³ MatMul, as ort-training.md measured its single-thread figure); where the rest goes, from ORT's
 * profiler (p3-profile.ts); and the same steps in PyTorch on CPU (Debian's python3-torch, installed here when
 * missing and possible). Also peak memory, and one SFT step at the Llama-3.2-1B shape.
 * Every measurement runs in its own process (so peak RSS is its own); timings are the fastest of the repeats
 * (other work on the machine only ever slows a run down). Environment: P3_THREADS (default "1,2"),
 * P3_REPEATS (default 3), P3_SHAPES (default "35M,160M,llama-3.2-1B").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { P3_SHAPES, type P3Shape, millions } from './p3-shapes.js';
import type { StepProfile } from './p3-profile.js';
import type { P3Job, P3Result, StepTiming } from './p3-worker.js';

const WORKER = fileURLToPath(new URL('./p3-worker.js', import.meta.url));
/** The benchmark's .py file lives in the source tree (bench/), not in dist/. */
const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/p3-torch.py', import.meta.url));

function worker(job: P3Job): P3Result {
  const out = execFileSync(process.execPath, [WORKER, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as P3Result;
}

interface TorchResult {
  sft: { ms: number[]; cpuMs: number[] };
  dpo?: { ms: number[]; cpuMs: number[] };
  torch: string;
  peakRssMb: number;
}

/** The Python with torch (Debian's /usr/bin/python3 first), installing python3-torch and OpenBLAS when possible. */
function torchPython(): { python: string | null; note: string } {
  const candidates = ['/usr/bin/python3', 'python3'];
  const works = (py: string) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  let python = candidates.find(works) ?? null;
  let note = '';
  if (!python) {
    if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return { python: null, note: 'PyTorch skipped: python3-torch is not installed and this user cannot apt-get install it' };
    console.log('  installing python3-torch (apt-get) …');
    const r = spawnSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    python = r.status === 0 ? (candidates.find(works) ?? null) : null;
    if (!python) return { python: null, note: 'PyTorch skipped: apt-get install python3-torch failed' };
    note = 'python3-torch installed by this run; ';
  }
  // Debian's torch calls BLAS through libblas.so.3, which is the slow reference BLAS unless OpenBLAS provides it.
  if (!existsSync('/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3') && !existsSync('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3')) {
    const r = process.getuid?.() === 0 ? spawnSync('apt-get', ['install', '-y', 'libopenblas0-openmp'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : { status: 1 };
    note += r.status === 0 ? 'libopenblas0-openmp installed by this run (reference BLAS otherwise); ' : 'WARNING: torch runs on the reference BLAS (install libopenblas0-openmp); ';
  }
  return { python, note };
}

function runTorch(python: string, shape: P3Shape, job: P3Job): TorchResult | string {
  const c = P3_SHAPES[shape];
  // SFT with LoRA dropout 0.1, DPO without (as the trainer runs them)
  const arg = { config: c, threads: job.threads, rows: job.rows, seqLen: job.seqLen, r: 32, alpha: 16, dropout: 0.1, repeats: job.repeats, dpo: true };
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(job.threads),
    OPENBLAS_NUM_THREADS: String(job.threads),
    // like ORT's spinning turned off above one thread: idle OpenMP threads sleep instead of burning the cores
    OMP_WAIT_POLICY: 'PASSIVE',
  };
  const r = spawnSync(python, [TORCH_SCRIPT, JSON.stringify(arg)], { encoding: 'utf8', env });
  if (r.status !== 0) return `PyTorch failed: ${(r.stderr ?? '').trim().split('\n').at(-1) ?? `exit ${r.status}`}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as TorchResult;
}

const best = (ms: number[]) => Math.min(...ms);
const fmt = (x: number, digits = 0) => x.toFixed(digits);
const g = (flops: number) => fmt(flops / 1e9, 1);

interface Ceiling {
  wall: number;
  cpu: number;
  flops: number;
  /** One large square MatMul (2048³), the plain ORT GEMM ceiling; the step's percentage of it is printed beside. */
  square: { wall: number; cpu: number };
}

function describe(label: string, t: StepTiming, ceiling: Ceiling): { ms: number; cpuMs: number; line: string } {
  const ms = best(t.ms);
  const cpuMs = best(t.cpuMs);
  const flops = t.flops.step;
  const gflops = flops / (ms / 1000) / 1e9;
  const cpuGflops = flops / (cpuMs / 1000) / 1e9;
  const p = t.cpuParts;
  const line =
    `    ${label}: ${t.tokens} tokens, ${g(flops)} GFLOP, best ${fmt(ms)} ms (of ${t.ms.map((x) => fmt(x)).join('/')}) = ` +
    `${fmt(t.tokens / (ms / 1000))} tokens/s, ${fmt(gflops)} GFLOP/s = ${fmt((100 * gflops) / ceiling.wall)}% of the matmul ceiling` +
    ` (${fmt((100 * gflops) / ceiling.square.wall)}% of the square-GEMM ceiling)` +
    `\n      by CPU time: ${fmt(cpuMs)} ms = ${fmt(cpuGflops)} GFLOP/CPU-s = ${fmt((100 * cpuGflops) / ceiling.cpu)}% of the ceiling's ${fmt(ceiling.cpu)}` +
    ` (host feeds and dropout masks ${fmt(p.feeds)} ms, ORT ${fmt(p.ort)} ms, outputs ${fmt(p.outputs)} ms)`;
  return { ms, cpuMs, line };
}

/**
 * Where the SFT step's time goes, from ORT's profile, and the gap to the ceiling by CPU time taken apart: at
 * the ceiling's rate per CPU-second the step's FLOPs would take `ideal` ms; its fastest step took more by the
 * host's feeds, and by ORT's CPU time split in the profile's proportions: every elementwise op, the LoRA and
 * attention products beyond their FLOPs at the ceiling's rate, ORT's time between nodes, and what is left:
 * the big matmuls slower in the step than alone (this last term also carries the profile's noise).
 */
function describeProfile(p: StepProfile, t: StepTiming, ceilingCpuGflops: number): string {
  const pct = (ms: number) => `${fmt(ms)} ms (${fmt((100 * ms) / p.totalMs)}%)`;
  const parts = p.parts.map((x) => `${x.part} ${pct(x.ms)}`).join(', ');
  const ew = p.elementwise.slice(0, 8).map((x) => `${x.op} ${fmt(x.ms, 1)} ms/${x.nodes}`).join(', ');
  const lines = [
    `    where the SFT step's ORT time goes (ORT's profiler: each node's fastest of the profiled runs, summed: ${fmt(p.totalMs)} ms; ${fmt(p.betweenMs)} ms between nodes in the fastest run of ${fmt(p.runMs)} ms): ${parts}`,
    `      elementwise by op (ms/nodes): ${ew}`,
  ];
  const f = t.flops;
  const rate = ceilingCpuGflops * 1e6; // FLOPs per CPU-ms
  const cpu = best(t.cpuMs);
  const ideal = f.step / rate;
  const scale = t.cpuParts.ort / (p.totalMs + p.betweenMs); // profile ms → the fastest step's ORT CPU ms
  const part = (name: string) => scale * (p.parts.find((x) => x.part === name)?.ms ?? 0);
  const big = part('big matmuls') - (f.frozen + f.head) / rate;
  const excess = (name: string, flops: number) => `${name} ${fmt(part(name) - flops / rate)} ms (${g(flops)} GFLOP in ${fmt(part(name))} ms)`;
  lines.push(
    `      the gap by CPU time: at the ceiling's ${fmt(ceilingCpuGflops)} GFLOP/CPU-s the step's ${g(f.step)} GFLOP take ${fmt(ideal)} ms, the step ${fmt(cpu)} ms: ${fmt(cpu - ideal)} ms more = ` +
      `host feeds and outputs ${fmt(t.cpuParts.feeds + t.cpuParts.outputs)} ms + ORT (split as profiled) elementwise ${fmt(part('elementwise'))} ms + ${excess('lora', f.lora)} + ` +
      `${excess('attention', f.attention)} + between nodes ${fmt(scale * p.betweenMs)} ms + big matmuls slower than alone ${fmt(big)} ms`,
  );
  const b = p.bigMatmuls;
  if (b) {
    const worst = b.worst.slice(0, 3).map((w) => `${w.shapes} ×${w.nodes} ${fmt(w.stepMs)} vs ${fmt(w.aloneMs)}`).join(', ');
    lines.push(`      the big matmuls in the step ${fmt(b.stepMs)} ms vs the same products profiled in the ceiling graph ${fmt(b.aloneMs)} ms (most different: ${worst})`);
  }
  return lines.join('\n');
}

function measureShape(shape: P3Shape, threads: number, rows: number, seqLen: number, repeats: number, torch: { python: string | null; note: string }, withDpo: boolean, withProfile: boolean, withSft = true): void {
  const base: P3Job = { kind: 'ceiling', shape, threads, rows, seqLen, repeats };
  const c1 = worker(base);
  const train = worker({ ...base, kind: 'train', dpo: withDpo, sft: withSft });
  const c2 = worker(base);
  const ceiling = {
    wall: Math.max(c1.ceilingGflops ?? 0, c2.ceilingGflops ?? 0),
    cpu: Math.max(c1.ceilingCpuGflops ?? 0, c2.ceilingCpuGflops ?? 0),
    flops: c1.ceilingFlops ?? 0,
    square: { wall: Math.max(c1.squareGemm?.wall ?? 0, c2.squareGemm?.wall ?? 0), cpu: Math.max(c1.squareGemm?.cpu ?? 0, c2.squareGemm?.cpu ?? 0) },
  };
  console.log(`  ${shape} (${millions(P3_SHAPES[shape])} params), ${threads} thread${threads > 1 ? 's' : ''}, ${rows}×${seqLen} tokens per step (targets: the second half of each row):`);
  const f = (train.sft ?? train.dpo)?.flops;
  if (f) console.log(`    counted matmul FLOPs per step: ${g(f.step)} G = frozen linears ${g(f.frozen)} + lm_head ${g(f.head)} + LoRA ${g(f.lora)} + attention ${g(f.attention)} (forward + backward)`);
  console.log(`    ORT matmul ceiling (the step's big matmuls alone, ${g(ceiling.flops)} GFLOP: frozen linears and lm_head, forward and input gradients, every layer's own weights): ${fmt(ceiling.wall)} GFLOP/s (${fmt(ceiling.cpu)} per CPU-second); the headline ceiling`);
  console.log(`    plain ORT GEMM ceiling (one 2048×2048·2048×2048 MatMul, same threads): ${fmt(ceiling.square.wall)} GFLOP/s (${fmt(ceiling.square.cpu)} per CPU-second)`);
  console.log(`    session build + first step: ${fmt(train.sessionMs ?? 0)} ms; peak RSS ${fmt(train.peakRssMb)} MB`);
  const sft = train.sft ? describe('LoRA SFT step (dropout 0.1)', train.sft, ceiling) : null;
  if (sft) console.log(sft.line);
  const dpo = train.dpo ? describe(`LoRA DPO step (${rows / 2} pair${rows > 2 ? 's' : ''}, no dropout as the trainer runs it)`, train.dpo, ceiling) : null;
  if (dpo) console.log(dpo.line);
  if (withProfile) {
    // twice the repeats: each node's cost is its fastest run, which more runs find under a changing load
    const p = worker({ ...base, kind: 'profile', repeats: 2 * repeats }).profile;
    if (p && train.sft) console.log(describeProfile(p, train.sft, ceiling.cpu));
  }
  if (!torch.python) return;
  const t = runTorch(torch.python, shape, { ...base, kind: 'train' });
  if (typeof t === 'string') {
    console.log(`    ${t}`);
    return;
  }
  const line = (label: string, m: { ms: number[]; cpuMs: number[] }, ours: { ms: number; cpuMs: number } | null) =>
    `    PyTorch ${t.torch} ${label}: best ${fmt(best(m.ms))} ms (of ${m.ms.map((x) => fmt(x)).join('/')}), CPU ${fmt(best(m.cpuMs))} ms` +
    (ours ? `; ours is ${fmt(best(m.ms) / ours.ms, 2)}× as fast (by CPU time ${fmt(best(m.cpuMs) / ours.cpuMs, 2)}×)` : '');
  console.log(line('SFT step', t.sft, sft));
  if (t.dpo) console.log(line('DPO step', t.dpo, dpo));
  console.log(`    PyTorch peak RSS ${fmt(t.peakRssMb)} MB`);
}

/** Runs the benchmark and prints its figures. */
export async function runP3(): Promise<void> {
  const threadsList = (process.env.P3_THREADS ?? '1,2').split(',').map(Number);
  const repeats = Number(process.env.P3_REPEATS ?? 3);
  const shapes = (process.env.P3_SHAPES ?? '35M,160M,llama-3.2-1B').split(',') as P3Shape[];
  const torch = torchPython();
  console.log(`P3 training graph (onnxruntime-node, CPU), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (torch.note || !torch.python) console.log(`  ${torch.note}`);
  for (const shape of shapes.filter((s) => s !== 'llama-3.2-1B')) {
    threadsList.forEach((threads, i) => measureShape(shape, threads, 4, 128, repeats, torch, true, i === 0));
  }
  if (shapes.includes('llama-3.2-1B')) {
    // two timed steps: one alone, under other work on the machine, can land on a busy moment
    const threads = threadsList[0] ?? 1;
    measureShape('llama-3.2-1B', threads, 1, 256, 2, { python: null, note: '' }, false, false);
    // and a DPO step (one pair: two rows), against the ceiling of its own 2×256 rows; P3_1B_DPO=0 skips it
    if (process.env.P3_1B_DPO !== '0') measureShape('llama-3.2-1B', threads, 2, 256, 2, { python: null, note: '' }, true, false, false);
  }
  console.log(`  load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}
