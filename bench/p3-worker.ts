/**
 * One P3 measurement in its own process (so its peak memory is its own): `node p3-worker.js '<job json>'`
 * prints one JSON line. Jobs: `ceiling` (ORT matmul throughput on the step's shapes) and `train` (LoRA SFT
 * and DPO steps of the training graph on random weights).
 */
import * as ort from 'onnxruntime-node';
import { type LlamaConfig, type LlamaWeights, linearShapes } from '../backends/onnx/llama-config.js';
import { OnnxGraph, attr } from '../backends/onnx/onnx-model.js';
import { type GraphBatch, type TrainRow, TrainingGraph, loraOptions, loraTensorShapes } from '../learners/engine/graph/index.js';
import { P3_SHAPES, type P3Shape, loraStepFlops } from './p3-shapes.js';

export interface P3Job {
  kind: 'ceiling' | 'train';
  shape: P3Shape;
  threads: number;
  rows: number;
  seqLen: number;
  /** Timed runs after one warm-up. */
  repeats: number;
  /** Also time a DPO step (train jobs). */
  dpo?: boolean;
  weights?: 'inputs' | 'initializers';
}

export interface StepTiming {
  ms: number[];
  /** CPU time of the process per step (all threads): robust to other work on the machine. */
  cpuMs: number[];
  flops: number;
  tokens: number;
}

export interface P3Result {
  job: P3Job;
  ceilingGflops?: number;
  /** The ceiling from CPU time (all threads) instead of wall time. */
  ceilingCpuGflops?: number;
  sessionMs?: number;
  sft?: StepTiming;
  dpo?: StepTiming;
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

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return { graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: threads > 1 ? '0' : '1' } } } };
}

/**
 * ORT's matmul throughput on this step's shapes: a chain of Gemm(transB) [M, H]·[I, H]ᵀ → [M, I]·[H, I]ᵀ
 * (M = the step's tokens, H hidden, I intermediate), weights as initializers (pre-packed: the best case).
 */
async function ceiling(job: P3Job): Promise<{ wall: number; cpu: number }> {
  const c = P3_SHAPES[job.shape];
  const M = job.rows * job.seqLen;
  const { hiddenSize: H, intermediateSize: I } = c;
  const g = new OnnxGraph();
  let x = g.input('x', 1, [M, H]);
  const links = 4;
  for (let i = 0; i < links; i++) {
    x = g.op('Gemm', [x, g.weight(`up${i}`, [I, H], fill(I * H, 1 / Math.sqrt(H), 10 + i))], { transB: attr.int(1) });
    x = g.op('Gemm', [x, g.weight(`down${i}`, [H, I], fill(I * H, 1 / Math.sqrt(I), 20 + i))], { transB: attr.int(1) }, i === links - 1 ? 'y' : undefined);
  }
  g.output('y', 1, [M, H]);
  const session = await ort.InferenceSession.create(g.toBytes(), sessionOptions(job.threads));
  const feeds = { x: new ort.Tensor('float32', fill(M * H, 1, 3), [M, H]) };
  await session.run(feeds);
  let best = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < Math.max(5, job.repeats * 2); i++) {
    const c = cpuMs();
    const t0 = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, cpuMs() - c);
  }
  await session.release();
  const flops = links * 2 * 2 * M * H * I;
  return { wall: flops / (best / 1000) / 1e9, cpu: flops / (bestCpu / 1000) / 1e9 };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timeSteps(graph: TrainingGraph, batch: GraphBatch, params: ReadonlyMap<string, Float32Array>, repeats: number): Promise<{ ms: number[]; cpuMs: number[]; sessionMs: number }> {
  const t0 = performance.now();
  await graph.run(batch, params, 0); // builds the session, then one warm-up step
  const sessionMs = performance.now() - t0;
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 1; i <= repeats; i++) {
    const c = cpuMs();
    const s = performance.now();
    await graph.run(batch, params, i);
    ms.push(performance.now() - s);
    cpu.push(cpuMs() - c);
  }
  return { ms, cpuMs: cpu, sessionMs };
}

async function train(job: P3Job): Promise<Omit<P3Result, 'job' | 'peakRssMb'>> {
  const c = P3_SHAPES[job.shape];
  const weights = benchWeights(c);
  const lora = loraOptions();
  const params = new Map(loraTensorShapes(c, lora).map((s, i) => [s.name, s.name.endsWith('lora_A.weight') ? fill(s.shape[0]! * s.shape[1]!, 0.02, 100 + i) : fill(s.shape[0]! * s.shape[1]!, 0.001, 100 + i)]));
  const opts = { lora, threads: job.threads, weights: job.weights ?? 'inputs' } as const;
  const rows = benchRows(c, job.rows, job.seqLen);
  const sftGraph = new TrainingGraph(c, weights, { loss: 'sft', ...opts });
  const sftRun = await timeSteps(sftGraph, { rows }, params, job.repeats);
  const sftBucket = sftGraph.bucketFor({ rows });
  await sftGraph.close();
  const out: Omit<P3Result, 'job' | 'peakRssMb'> = {
    sessionMs: sftRun.sessionMs,
    sft: { ms: sftRun.ms, cpuMs: sftRun.cpuMs, flops: loraStepFlops(c, lora.r, sftBucket).step, tokens: job.rows * job.seqLen },
  };
  if (job.dpo) {
    const dpoGraph = new TrainingGraph(c, weights, { loss: 'dpo', ...opts });
    const batch = { rows, refLogps: rows.map(() => -5 * job.seqLen) };
    const dpoRun = await timeSteps(dpoGraph, batch, params, job.repeats);
    out.dpo = { ms: dpoRun.ms, cpuMs: dpoRun.cpuMs, flops: loraStepFlops(c, lora.r, dpoGraph.bucketFor(batch)).step, tokens: job.rows * job.seqLen };
    await dpoGraph.close();
  }
  return out;
}

/** Runs one job and returns its result (peak RSS of this process included). */
export async function runJob(job: P3Job): Promise<P3Result> {
  const result: P3Result = { job, peakRssMb: 0 };
  if (job.kind === 'ceiling') {
    const c = await ceiling(job);
    result.ceilingGflops = c.wall;
    result.ceilingCpuGflops = c.cpu;
  }
  else Object.assign(result, await train(job));
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

if (process.argv[1]?.endsWith('p3-worker.js') && process.argv[2]) {
  const result = await runJob(JSON.parse(process.argv[2]) as P3Job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
