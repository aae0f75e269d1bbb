/**
 * P3's matmul ceiling: ORT's throughput on the training step's own big matrix multiplies. The graph is the
 * step's skeleton: every frozen linear layer of every layer with its own weight (so weights stream from memory
 * as in the step, not from cache), forward Gemm(x, W, transB) and backward MatMul(gy, W) exactly as the
 * training graph emits them (none for layer 0's q/k/v), and lm_head forward and backward on the target rows,
 * weights fed as inputs as the trainer feeds them, same rows and threads. Nothing else runs in it but one Sum
 * per layer (joining the input gradients) and two tiny Slices, so its rate is what ORT's matmuls reach on
 * these shapes.
 */
import * as ort from 'onnxruntime-node';
import { type LlamaConfig, type LlamaWeights } from '../backends/onnx/llama-config.js';
import { DataType, OnnxGraph, attr } from '../backends/onnx/onnx-model.js';
import type { Bucket } from '../learners/engine/graph/index.js';

/** The skeleton graph, its feeds and its FLOPs (2 per multiply-add). */
export function ceilingGraph(c: LlamaConfig, weights: LlamaWeights, bucket: Bucket): { bytes: Uint8Array; feeds: Record<string, ort.Tensor>; flops: number } {
  const N = bucket.batchSize * bucket.seqLen;
  const T = bucket.targetRows;
  const H = c.hiddenSize;
  const g = new OnnxGraph();
  const feeds: Record<string, ort.Tensor> = {};
  let flops = 0;
  const weight = (name: string): { name: string; out: number; inp: number } => {
    const w = weights.get(name);
    if (!w) throw new Error(`no weight ${name}`);
    if (!feeds[name]) {
      g.input(name, DataType.FLOAT, w.shape);
      feeds[name] = new ort.Tensor('float32', w.data, w.shape);
    }
    return { name, out: w.shape[0] as number, inp: w.shape[1] as number };
  };
  const forward = (x: string, name: string, rows: number): string => {
    const w = weight(name);
    flops += 2 * rows * w.out * w.inp;
    return g.op('Gemm', [x, w.name], { transB: attr.int(1) });
  };
  const backward = (gy: string, name: string, rows: number): string => {
    const w = weight(name);
    flops += 2 * rows * w.out * w.inp;
    return g.op('MatMul', [gy, w.name]);
  };
  const lin = (l: number, key: string) => `model.layers.${l}.${key}.weight`;
  const x0 = g.input('x', DataType.FLOAT, [N, H]);
  feeds.x = new ort.Tensor('float32', Float32Array.from({ length: N * H }, (_, i) => Math.sin(i) * 0.5), [N, H]);
  // Forward: each projection reads an activation of its input's shape; k, v and up are kept for the backward.
  let x = x0;
  const kept: { k: string; v: string; u: string }[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const q = forward(x, lin(l, 'self_attn.q_proj'), N);
    const k = forward(x, lin(l, 'self_attn.k_proj'), N);
    const v = forward(x, lin(l, 'self_attn.v_proj'), N);
    const o = forward(q, lin(l, 'self_attn.o_proj'), N);
    const gate = forward(o, lin(l, 'mlp.gate_proj'), N);
    const u = forward(o, lin(l, 'mlp.up_proj'), N);
    x = forward(gate, lin(l, 'mlp.down_proj'), N);
    kept.push({ k, v, u });
  }
  const head = c.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  const rows = g.op('Slice', [x, g.constInt64([0]), g.constInt64([T]), g.constInt64([0])]);
  const dRows = backward(forward(rows, head, T), head, T);
  // Backward: the input gradient of every projection, in reverse, with stored activations standing in for gy.
  let gy = T === N ? dRows : g.op('Pad', [dRows, g.constInt64([0, 0, N - T, 0])]);
  for (let l = c.numLayers - 1; l >= 0; l--) {
    const { k, v, u } = kept[l] as { k: string; v: string; u: string };
    const dGate = backward(gy, lin(l, 'mlp.down_proj'), N);
    const dAct = backward(dGate, lin(l, 'mlp.gate_proj'), N);
    const dUp = backward(u, lin(l, 'mlp.up_proj'), N);
    const dCtx = backward(dAct, lin(l, 'self_attn.o_proj'), N);
    const parts = [dUp];
    if (l > 0) parts.push(backward(dCtx, lin(l, 'self_attn.q_proj'), N), backward(k, lin(l, 'self_attn.k_proj'), N), backward(v, lin(l, 'self_attn.v_proj'), N));
    else parts.push(g.op('Slice', [dCtx, g.constInt64([0]), g.constInt64([H]), g.constInt64([1])]));
    gy = g.op('Sum', parts);
  }
  g.op('ReduceSum', [gy], { keepdims: attr.int(0) }, 'y');
  g.output('y', DataType.FLOAT, []);
  return { bytes: g.toBytes(), feeds, flops };
}

/** CPU milliseconds of this process so far (all threads). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `graph` with `feeds` once to warm up, then `repeats` times, and returns `flops` over the fastest run by
 * wall time and by CPU time, in GFLOP/s (with `enableProfiling`, the profile is written before release).
 */
async function bestRate(graph: Uint8Array, feeds: Record<string, ort.Tensor>, flops: number, options: ort.InferenceSession.SessionOptions, repeats: number): Promise<{ wall: number; cpu: number }> {
  const session = await ort.InferenceSession.create(graph, options);
  await session.run(feeds);
  let best = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, cpuMs() - c0);
  }
  if (options.enableProfiling) session.endProfiling();
  await session.release();
  return { wall: flops / (best / 1000) / 1e9, cpu: flops / (bestCpu / 1000) / 1e9 };
}

/**
 * The ceiling in GFLOP/s by wall time and by CPU time (best of `repeats` runs after one warm-up), with the
 * session options the training graph uses.
 */
export async function measureCeiling(c: LlamaConfig, weights: LlamaWeights, bucket: Bucket, options: ort.InferenceSession.SessionOptions, repeats: number): Promise<{ wall: number; cpu: number; flops: number }> {
  const { bytes, feeds, flops } = ceilingGraph(c, weights, bucket);
  return { ...(await bestRate(bytes, feeds, flops, options, repeats)), flops };
}

/**
 * A plain ORT GEMM ceiling beside the step's own: one square float32 MatMul of `size`³ (both operands graph
 * inputs, as ort-training.md's single-thread ceiling was measured), best of `repeats` runs after a warm-up.
 * Measured here within a few % of the step's own ceiling, either side (its 16 MB operands at 2048 do not fit
 * the cache; the step's weights are smaller and its rows fewer).
 */
export async function measureSquareGemm(size: number, options: ort.InferenceSession.SessionOptions, repeats: number): Promise<{ wall: number; cpu: number; size: number }> {
  const g = new OnnxGraph();
  g.input('a', DataType.FLOAT, [size, size]);
  g.input('b', DataType.FLOAT, [size, size]);
  g.op('MatMul', ['a', 'b'], {}, 'y');
  g.output('y', DataType.FLOAT, [size, size]);
  const data = Float32Array.from({ length: size * size }, (_, i) => Math.sin(i) * 0.5);
  const feeds = { a: new ort.Tensor('float32', data, [size, size]), b: new ort.Tensor('float32', data, [size, size]) };
  return { ...(await bestRate(g.toBytes(), feeds, 2 * size ** 3, options, repeats)), size };
}
