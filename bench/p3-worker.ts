/**
 * One P3 measurement in its own process (so its peak memory is its own): `node p3-worker.js '<job json>'`
 * prints one JSON line. Jobs: `ceiling` (ORT's matmul throughput on the step's big shapes, p3-ceiling.ts),
 * `train` (LoRA SFT and DPO steps of the training graph on random weights) and `profile` (where an SFT
 * step's time goes, p3-profile.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LlamaConfig, type LlamaWeights, linearShapes } from '../backends/onnx/llama-config.js';
import { type Bucket, type GraphBatch, type TrainRow, TrainingGraph, loraOptions, loraTensorShapes, trainingSessionOptions } from '../learners/engine/graph/index.js';
import { cpuMs, measureCeiling, measureSquareGemm } from './p3-ceiling.js';
import { type StepProfile, readStepProfile } from './p3-profile.js';
import { P3_SHAPES, type P3Shape, type StepFlops, loraStepFlops } from './p3-shapes.js';

export interface P3Job {
  /** `ceiling`: ORT's matmul rate on the step's big shapes; `train`: timed SFT (and DPO) steps; `profile`: where an SFT step's time goes. */
  kind: 'ceiling' | 'train' | 'profile';
  shape: P3Shape;
  threads: number;
  rows: number;
  seqLen: number;
  /** Timed runs after one warm-up. */
  repeats: number;
  /** Also time a DPO step (train jobs). */
  dpo?: boolean;
  /** Time the SFT step (train jobs; default true: false for a DPO-only job). */
  sft?: boolean;
  weights?: 'inputs' | 'initializers';
}

export interface StepTiming {
  ms: number[];
  /** CPU time of the process per step (all threads): robust to other work on the machine. */
  cpuMs: number[];
  /** CPU time of the fastest step by part: feeds (host, dropout masks included), ORT, outputs. */
  cpuParts: { feeds: number; ort: number; outputs: number };
  flops: StepFlops;
  tokens: number;
}

export interface P3Result {
  job: P3Job;
  ceilingGflops?: number;
  /** The ceiling from CPU time (all threads) instead of wall time. */
  ceilingCpuGflops?: number;
  /** FLOPs of the ceiling graph (the step's big matmuls). */
  ceilingFlops?: number;
  /** A plain ORT GEMM ceiling: one large square MatMul, GFLOP/s by wall and by CPU time. */
  squareGemm?: { wall: number; cpu: number; size: number };
  sessionMs?: number;
  sft?: StepTiming;
  dpo?: StepTiming;
  profile?: StepProfile;
  peakRssMb: number;
}

/** Fast deterministic uniform fill (xorshift), scaled to the usual init std: random weights for benchmarks only. */
function fill(n: number, std: number, seed: number, mean = 0): Float32Array {
  const out = new Float32Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  const scale = (std * Math.sqrt(3) * 2) / 4294967296;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = mean + ((x >>> 0) * scale - std * Math.sqrt(3));
  }
  return out;
}

export function benchWeights(c: LlamaConfig): LlamaWeights {
  const H = c.hiddenSize;
  const w: LlamaWeights = new Map();
  let seed = 1;
  w.set('model.embed_tokens.weight', { shape: [c.vocabSize, H], data: fill(c.vocabSize * H, 1, seed++) });
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}`;
    w.set(`${p}.input_layernorm.weight`, { shape: [H], data: fill(H, 0.1, seed++, 1) });
    w.set(`${p}.post_attention_layernorm.weight`, { shape: [H], data: fill(H, 0.1, seed++, 1) });
    for (const [key, [out, inp]] of Object.entries(linearShapes(c))) w.set(`${p}.${key}.weight`, { shape: [out, inp], data: fill(out * inp, 1 / Math.sqrt(inp), seed++) });
  }
  w.set('model.norm.weight', { shape: [H], data: fill(H, 0.1, seed++, 1) });
  if (!c.tieWordEmbeddings) w.set('lm_head.weight', { shape: [c.vocabSize, H], data: fill(c.vocabSize * H, 1 / Math.sqrt(H), seed++) });
  return w;
}

/** Rows of `seqLen` tokens whose second half is the target (an assistant reply after a prompt of equal length). */
export function benchRows(c: LlamaConfig, rows: number, seqLen: number): TrainRow[] {
  return Array.from({ length: rows }, (_, b) => ({
    ids: Array.from({ length: seqLen }, (_, t) => (b * 7919 + t * 104729) % c.vocabSize),
    mask: Array.from({ length: seqLen }, (_, t) => (t >= seqLen / 2 ? 1 : 0)),
  }));
}

const LORA = loraOptions();

/** The bucket the training graph runs the job's SFT batch in (no session is built for this). */
function bucketOf(job: P3Job, weights: LlamaWeights): Bucket {
  const c = P3_SHAPES[job.shape];
  return new TrainingGraph(c, weights, { loss: 'sft', lora: LORA }).bucketFor({ rows: benchRows(c, job.rows, job.seqLen) });
}

async function timeSteps(graph: TrainingGraph, batch: GraphBatch, params: ReadonlyMap<string, Float32Array>, repeats: number): Promise<{ ms: number[]; cpuMs: number[]; cpuParts: StepTiming['cpuParts']; sessionMs: number }> {
  const t0 = performance.now();
  // as the trainer runs them: each run is told the next one, whose dropout masks are drawn meanwhile (masksAhead)
  const next = (seed: number) => ({ rows: batch.rows, dropoutSeed: seed });
  await graph.run(batch, params, 0, next(1)); // builds the session, then one warm-up step
  const sessionMs = performance.now() - t0;
  const ms: number[] = [];
  const cpu: number[] = [];
  let cpuParts = { feeds: 0, ort: 0, outputs: 0 };
  for (let i = 1; i <= repeats; i++) {
    const c = cpuMs();
    const s = performance.now();
    const out = await graph.run(batch, params, i, next(i + 1));
    ms.push(performance.now() - s);
    cpu.push(cpuMs() - c);
    if (cpu.at(-1) === Math.min(...cpu)) cpuParts = out.cpuMs;
  }
  return { ms, cpuMs: cpu, cpuParts, sessionMs };
}

function loraParams(c: LlamaConfig): Map<string, Float32Array> {
  return new Map(loraTensorShapes(c, LORA).map((s, i) => [s.name, s.name.endsWith('lora_A.weight') ? fill(s.shape[0]! * s.shape[1]!, 0.02, 100 + i) : fill(s.shape[0]! * s.shape[1]!, 0.001, 100 + i)]));
}

/**
 * SFT steps with the trainer's defaults (LoRA r 32, alpha 16, dropout 0.1), and DPO steps as the trainer runs
 * them: LoRA dropout off (TRL's `disable_dropout`), chosen rows then rejected rows.
 */
async function train(job: P3Job): Promise<Omit<P3Result, 'job' | 'peakRssMb'>> {
  const c = P3_SHAPES[job.shape];
  const weights = benchWeights(c);
  const params = loraParams(c);
  const opts = { threads: job.threads, weights: job.weights ?? 'inputs' } as const;
  const rows = benchRows(c, job.rows, job.seqLen);
  const tokens = job.rows * job.seqLen;
  const out: Omit<P3Result, 'job' | 'peakRssMb'> = {};
  if (job.sft !== false) {
    const sftGraph = new TrainingGraph(c, weights, { loss: 'sft', lora: LORA, ...opts });
    const sftRun = await timeSteps(sftGraph, { rows }, params, job.repeats);
    const sftBucket = sftGraph.bucketFor({ rows });
    await sftGraph.close();
    out.sessionMs = sftRun.sessionMs;
    out.sft = { ms: sftRun.ms, cpuMs: sftRun.cpuMs, cpuParts: sftRun.cpuParts, flops: loraStepFlops(c, LORA.r, sftBucket), tokens };
  }
  if (job.dpo) {
    const dpoGraph = new TrainingGraph(c, weights, { loss: 'dpo', lora: { ...LORA, dropout: 0 }, ...opts });
    const batch = { rows, refLogps: rows.map(() => -5 * job.seqLen) };
    const dpoRun = await timeSteps(dpoGraph, batch, params, job.repeats);
    out.sessionMs ??= dpoRun.sessionMs;
    out.dpo = { ms: dpoRun.ms, cpuMs: dpoRun.cpuMs, cpuParts: dpoRun.cpuParts, flops: loraStepFlops(c, LORA.r, dpoGraph.bucketFor(batch)), tokens };
    await dpoGraph.close();
  }
  return out;
}

/**
 * Profiles `repeats` SFT steps after a warm-up with ORT's profiler and sums each node's fastest run by part;
 * then the ceiling graph the same way, for the step's big matmuls beside the same products alone.
 */
async function profile(job: P3Job): Promise<StepProfile> {
  const c = P3_SHAPES[job.shape];
  const dir = mkdtempSync(join(tmpdir(), 'clem-p3-profile-'));
  try {
    const weights = benchWeights(c);
    const graph = new TrainingGraph(c, weights, { loss: 'sft', lora: LORA, threads: job.threads, profileFilePrefix: join(dir, 'sft') });
    const rows = benchRows(c, job.rows, job.seqLen);
    const params = loraParams(c);
    for (let i = 0; i <= job.repeats; i++) await graph.run({ rows }, params, i);
    await graph.endProfiling();
    await graph.close();
    const bucket = graph.bucketFor({ rows });
    await measureCeiling(c, weights, bucket, { ...trainingSessionOptions(job.threads), enableProfiling: true, profileFilePrefix: join(dir, 'ceiling') }, job.repeats);
    const file = (prefix: string) => {
      const f = readdirSync(dir).find((x) => x.startsWith(prefix) && x.endsWith('.json'));
      if (!f) throw new Error(`ORT wrote no ${prefix} profile into ${dir}`);
      return join(dir, f);
    };
    return readStepProfile(file('sft'), LORA.r, file('ceiling'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one job and returns its result (peak RSS of this process included). */
export async function runJob(job: P3Job): Promise<P3Result> {
  const result: P3Result = { job, peakRssMb: 0 };
  if (job.kind === 'ceiling') {
    const c = P3_SHAPES[job.shape];
    const weights = benchWeights(c);
    const ceiling = await measureCeiling(c, weights, bucketOf(job, weights), trainingSessionOptions(job.threads), Math.max(3, job.repeats));
    result.ceilingGflops = ceiling.wall;
    result.ceilingCpuGflops = ceiling.cpu;
    result.ceilingFlops = ceiling.flops;
    result.squareGemm = await measureSquareGemm(2048, trainingSessionOptions(job.threads), Math.max(3, job.repeats));
  } else if (job.kind === 'profile') result.profile = await profile(job);
  else Object.assign(result, await train(job));
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

if (process.argv[1]?.endsWith('p3-worker.js') && process.argv[2]) {
  const result = await runJob(JSON.parse(process.argv[2]) as P3Job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
