import { type F32Tensor, type LlamaConfig, type LlamaWeights, linearShapes, ropeInvFreq } from './llama-config.js';
import { DataType, OnnxGraph, attr } from './onnx-model.js';

/** Transposes a row-major [rows, cols] matrix into [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  const B = 64;
  for (let r0 = 0; r0 < rows; r0 += B) {
    for (let c0 = 0; c0 < cols; c0 += B) {
      const rEnd = Math.min(rows, r0 + B);
      const cEnd = Math.min(cols, c0 + B);
      for (let r = r0; r < rEnd; r++) for (let c = c0; c < cEnd; c++) out[c * rows + r] = data[r * cols + c] as number;
    }
  }
  return out;
}

function need(weights: LlamaWeights, name: string, shape: number[]): F32Tensor {
  const t = weights.get(name);
  if (!t) throw new Error(`missing weight ${name}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`weight ${name} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t;
}

/**
 * Builds the ONNX graph of a Llama decoder with a KV cache, in the I/O layout transformers.js feeds
 * (HF optimum names): inputs `input_ids`, `attention_mask`, `position_ids` (int64) and
 * `past_key_values.{i}.key|value` [batch_size, kv_heads, past_sequence_length, head_dim]; outputs `logits`
 * [batch_size, sequence_length, vocab] and `present.{i}.key|value`; the int64 scalar input `num_logits_to_keep`
 * limits the logits to the last k positions (0: all), which transformers.js sets to 1 while generating. Only opset-17 standard ops are used.
 * The mask combines causality (query i sits at absolute index T−S+i) with `attention_mask` padding, so left
 * padding works. Weights are copied (linear weights transposed to [in, out]); `weights` is not modified.
 * Throws when a weight is missing or has the wrong shape; `lm_head.weight` falls back to the embedding.
 */
export function buildLlamaGraph(c: LlamaConfig, weights: LlamaWeights): OnnxGraph {
  const g = new OnnxGraph();
  const { hiddenSize: H, headDim: D, numHeads: NH, numKvHeads: NKV } = c;
  const f = DataType.FLOAT;
  const i64 = DataType.INT64;
  g.input('input_ids', i64, ['batch_size', 'sequence_length']);
  g.input('attention_mask', i64, ['batch_size', 'total_sequence_length']);
  g.input('position_ids', i64, ['batch_size', 'sequence_length']);
  g.input('num_logits_to_keep', i64, []);
  for (let l = 0; l < c.numLayers; l++) {
    for (const kv of ['key', 'value']) g.input(`past_key_values.${l}.${kv}`, f, ['batch_size', NKV, 'past_sequence_length', D]);
  }

  const embed = need(weights, 'model.embed_tokens.weight', [c.vocabSize, H]);
  let x = g.op('Gather', [g.weight('model.embed_tokens.weight', embed.shape, embed.data), 'input_ids'], { axis: attr.int(0) });

  // RoPE tables from position_ids: cos/sin of pos × inv_freq, duplicated to the full head dim, [B,1,S,D].
  const invFreq = Float32Array.from(ropeInvFreq(c));
  const pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: attr.int(DataType.FLOAT) }), g.constInt64([-1])]);
  const freqs = g.op('Mul', [pos, g.weight('rope_inv_freq', [D / 2], invFreq)]);
  const emb = g.op('Unsqueeze', [g.op('Concat', [freqs, freqs], { axis: attr.int(-1) }), g.constInt64([1])]);
  const cos = g.op('Cos', [emb]);
  const sin = g.op('Sin', [emb]);

  // Additive mask [B,1,S,T]: 0 where allowed, -1e9 elsewhere (finite, so fully masked pad rows give no NaN).
  const zero = g.constInt64([0], []);
  const one = g.constInt64([1], []);
  const seqLen = g.op('Squeeze', [g.op('Shape', ['input_ids'], { start: attr.int(1), end: attr.int(2) })]);
  const totalLen = g.op('Squeeze', [g.op('Shape', ['attention_mask'], { start: attr.int(1), end: attr.int(2) })]);
  const keys = g.op('Unsqueeze', [g.op('Range', [zero, totalLen, one]), g.constInt64([0])]);
  const queries = g.op('Add', [g.op('Range', [zero, seqLen, one]), g.op('Sub', [totalLen, seqLen])]);
  const causal = g.op('LessOrEqual', [keys, g.op('Unsqueeze', [queries, g.constInt64([1])])]);
  const padOk = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: attr.int(DataType.BOOL) }), g.constInt64([1, 2])]);
  const allowed = g.op('And', [g.op('Unsqueeze', [causal, g.constInt64([0, 1])]), padOk]);
  const mask = g.op('Where', [allowed, g.constFloat([0], []), g.constFloat([-1e9], [])]);

  const linear = (input: string, name: string, shape: [number, number]): string => {
    const t = need(weights, name, shape);
    return g.op('MatMul', [input, g.weight(name, [shape[1], shape[0]], transpose2d(t.data, shape[0], shape[1]))]);
  };
  const rmsNorm = (input: string, name: string): string => {
    const w = need(weights, name, [H]);
    const meanSq = g.op('ReduceMean', [g.op('Mul', [input, input])], { axes: attr.ints([-1]), keepdims: attr.int(1) });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSq, g.constFloat([c.rmsNormEps], [])])])]);
    return g.op('Mul', [g.op('Mul', [input, inv]), g.weight(name, [H], w.data)]);
  };
  const halfA = g.constInt64([0]);
  const halfB = g.constInt64([D / 2]);
  const halfEnd = g.constInt64([D]);
  const lastAxis = g.constInt64([-1]);
  const rope = (t: string): string => {
    const x1 = g.op('Slice', [t, halfA, halfB, lastAxis]);
    const x2 = g.op('Slice', [t, halfB, halfEnd, lastAxis]);
    const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: attr.int(-1) });
    return g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [rotated, sin])]);
  };
  const heads = (t: string, n: number): string =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, n, D])])], { perm: attr.ints([0, 2, 1, 3]) });
  // GQA without copying K/V per query head: the `rep` query heads sharing a KV head are stacked along the
  // sequence axis ([B, NKV, rep·S, D]), and the mask is tiled to match (row j·S + s is query s of head j).
  const rep = NH / NKV;
  const groupMask = rep === 1 ? mask : g.op('Tile', [mask, g.constInt64([1, 1, rep, 1])]);
  const groupShape = g.constInt64([0, NKV, -1, D]);
  const headShape = g.constInt64([0, NH, -1, D]);
  const shapes = linearShapes(c);
  const proj = (input: string, l: number, key: string): string => linear(input, `model.layers.${l}.${key}.weight`, shapes[key] as [number, number]);

  for (let l = 0; l < c.numLayers; l++) {
    const h = rmsNorm(x, `model.layers.${l}.input_layernorm.weight`);
    const q = rope(heads(proj(h, l, 'self_attn.q_proj'), NH));
    const kNew = rope(heads(proj(h, l, 'self_attn.k_proj'), NKV));
    const vNew = heads(proj(h, l, 'self_attn.v_proj'), NKV);
    const k = g.op('Concat', [`past_key_values.${l}.key`, kNew], { axis: attr.int(2) }, `present.${l}.key`);
    const v = g.op('Concat', [`past_key_values.${l}.value`, vNew], { axis: attr.int(2) }, `present.${l}.value`);
    for (const kv of ['key', 'value']) g.output(`present.${l}.${kv}`, f, ['batch_size', NKV, 'total_sequence_length', D]);
    const kT = g.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) });
    const qGroups = rep === 1 ? q : g.op('Reshape', [q, groupShape]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [qGroups, kT]), g.constFloat([1 / Math.sqrt(D)], [])]), groupMask]);
    const ctxGroups = g.op('MatMul', [g.op('Softmax', [scores], { axis: attr.int(-1) }), v]);
    const ctx = rep === 1 ? ctxGroups : g.op('Reshape', [ctxGroups, headShape]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: attr.ints([0, 2, 1, 3]) }), g.constInt64([0, 0, NH * D])]);
    x = g.op('Add', [x, proj(merged, l, 'self_attn.o_proj')]);
    const h2 = rmsNorm(x, `model.layers.${l}.post_attention_layernorm.weight`);
    const gate = proj(h2, l, 'mlp.gate_proj');
    const act = g.op('Mul', [gate, g.op('Sigmoid', [gate])]);
    x = g.op('Add', [x, proj(g.op('Mul', [act, proj(h2, l, 'mlp.up_proj')]), l, 'mlp.down_proj')]);
  }
  // num_logits_to_keep: 0 → logits for every position (scoring), k → only the last k (generation).
  const keep = 'num_logits_to_keep';
  const start = g.op('Where', [g.op('Equal', [keep, zero]), zero, g.op('Neg', [keep])]);
  const kept = g.op('Slice', [x, g.op('Unsqueeze', [start, g.constInt64([0])]), g.constInt64([2 ** 53 - 1]), g.constInt64([1])]);
  const last = rmsNorm(kept, 'model.norm.weight');
  const headName = weights.has('lm_head.weight') ? 'lm_head.weight' : 'model.embed_tokens.weight';
  const head = need(weights, headName, [c.vocabSize, H]);
  g.op('MatMul', [last, g.weight('lm_head.weight.T', [H, c.vocabSize], transpose2d(head.data, c.vocabSize, H))], {}, 'logits');
  g.output('logits', f, ['batch_size', 'logits_length', c.vocabSize]);
  return g;
}
