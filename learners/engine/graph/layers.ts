import { attr } from '../../../backends/onnx/onnx-model.js';
import type { GradTape, InputGrad, Val } from './tape.js';

/**
 * Forward ops of the Llama decoder with their backward rules, each emitted as ONNX nodes. Activations are
 * 2-D [N, features] (N = batch·seq) except inside attention ([B, heads, S, D]). Weights keep Hugging Face's
 * [out, in] layout (and LoRA A [r, in], B [out, r] as PEFT stores them): forward products use Gemm with
 * transB, so neither the host nor the graph ever materialises a transposed weight.
 */

/** A LoRA branch on a linear layer: y = x·Wᵀ + scale·(dropout(x)·Aᵀ)·Bᵀ. */
export interface LoraBranch {
  a: Val;
  b: Val;
  scale: number;
  /** Dropout (see `LoraDropout`). */
  dropout?: LoraDropout;
}

/**
 * LoRA dropout: a bool mask input [N, in] (true: kept) fed by the host, and the scale 1/(1−p) of kept values.
 * `maskBackward` is a second graph input fed the same mask for the backward: applied as Mul(x, Cast(mask)),
 * each side casts its own copy, so ORT's common-subexpression pass cannot merge the two Casts into one float
 * mask kept alive from the forward to the backward (it would, from one input).
 */
export interface LoraDropout {
  mask: string;
  maskBackward?: string;
  keep: number;
}

/** y = x·Wᵀ (+ LoRA). Gradients: dx = gy·W (+ LoRA path), dW = gyᵀ·x, dA, dB. */
export function linear(t: GradTape, x: Val, w: Val, lora?: LoraBranch): Val {
  const member = lora ? { w, lora: { a: lora.a, b: lora.b } } : { w };
  return linearGroup(t, x, [member], lora ? { scale: lora.scale, ...(lora.dropout ? { dropout: lora.dropout } : {}) } : { scale: 0 })[0] as Val;
}

/** One projection of a `linearGroup`: its frozen (or fully trained) weight and its LoRA tensors, if adapted. */
export interface GroupMember {
  w: Val;
  lora?: { a: Val; b: Val };
}

/**
 * Several linear layers reading the same input x (q, k and v; gate and up), each y_i = x·W_iᵀ (+ LoRA). The
 * adapted members share one dropout mask (when given) and their LoRA A products run as one: x·[A_1; A_2; …]ᵀ
 * forward, one dA for all of them and one input gradient through A, whose reduction dimension is the summed
 * rank instead of r (skinny products run at a fraction of the big ones' speed). The input gradient chains
 * every member's gy·W_i through Gemm's C, so no Sum is needed.
 */
export function linearGroup(t: GradTape, x: Val, members: readonly GroupMember[], o: { scale: number; dropout?: LoraDropout }): Val[] {
  const [n] = x.shape as [number, number];
  const adapted = members.filter((m): m is Required<GroupMember> => m.lora !== undefined);
  const { scale, dropout } = o;
  // dropout(x) = keep·(x⊙mask); the factor keep rides on the Gemms' alpha (Mul by a cast mask beats Where by ~35%)
  const kept = (v: string, mask: string | undefined) => (mask === undefined ? v : t.mul(v, t.castFloat(mask)));
  const keep = dropout?.keep ?? 1;
  const ranks = adapted.map((m) => m.lora.a.shape[0] as number);
  const offsets = ranks.map((_, i) => ranks.slice(0, i).reduce((s, r) => s + r, 0));
  const cols = (v: string, i: number, axis: number) =>
    adapted.length === 1 ? v : t.op('Slice', [v, t.int64([offsets[i] as number]), t.int64([(offsets[i] as number) + (ranks[i] as number)]), t.int64([axis])]);
  let xd = x.name;
  let aCat = '';
  let xa = '';
  if (adapted.length > 0) {
    xd = kept(x.name, dropout?.mask);
    aCat = adapted.length === 1 ? (adapted[0] as Required<GroupMember>).lora.a.name : t.op('Concat', adapted.map((m) => m.lora.a.name), { axis: attr.int(0) });
    xa = t.gemm(xd, aCat, { transB: true, alpha: keep });
  }
  const xas = adapted.map((_, i) => cols(xa, i, 1));
  const ys = members.map((m) => {
    const i = adapted.indexOf(m as Required<GroupMember>);
    // the wide base product alone, then the skinny LoRA product accumulates onto it (Gemm's C, in place): 9% less
    // time than the other way round, where the wide kernel reads C (bench: gate/up 4.4 vs 4.9 ms, 160M shapes)
    const base = t.gemm(x.name, m.w.name, { transB: true });
    const name = i >= 0 ? t.gemm(xas[i] as string, (m.lora as { b: Val }).b.name, { transB: true, alpha: scale, c: base }) : base;
    return { name, shape: [n, m.w.shape[0] as number] };
  });
  const ins = [x, ...members.map((m) => m.w), ...adapted.flatMap((m) => [m.lora.a, m.lora.b])];
  return t.recordMany(ys, ins, (gys) => {
    const gyOf = (m: GroupMember) => gys[members.indexOf(m)] ?? null;
    const rank = ranks.reduce((s, r) => s + r, 0);
    // dL/d(x·Aᵀ) of each adapted member (zero when its output got no gradient), side by side
    const gxas = adapted.map((m, i) => {
      const gy = gyOf(m);
      return gy === null ? t.zeros([n, ranks[i] as number]) : t.gemm(gy, m.lora.b.name, { alpha: scale });
    });
    const gxa = adapted.length === 0 ? '' : adapted.length === 1 ? (gxas[0] as string) : t.op('Concat', gxas, { axis: attr.int(1) });
    let dx: string | null = null;
    if (x.grad) {
      // masked, the LoRA part starts the chain; unmasked, it accumulates last onto the wide products (as forward)
      const masked = dropout !== undefined && adapted.length > 0;
      if (masked) dx = kept(t.gemm(gxa, aCat, { alpha: keep }), dropout.maskBackward ?? dropout.mask);
      for (const m of members) {
        const gy = gyOf(m);
        if (gy !== null) dx = dx === null ? t.op('MatMul', [gy, m.w.name]) : t.gemm(gy, m.w.name, { c: dx });
      }
      if (!masked && adapted.length > 0) dx = t.gemm(gxa, aCat, { alpha: keep, ...(dx === null ? {} : { c: dx }) });
    }
    const dA = adapted.some((m) => m.lora.a.grad) && rank > 0 ? t.gemm(gxa, xd, { transA: true, alpha: keep }) : null;
    const loraGrads = adapted.flatMap((m, i) => {
      const gy = gyOf(m);
      return [dA !== null && m.lora.a.grad ? cols(dA, i, 0) : null, gy !== null && m.lora.b.grad ? t.gemm(gy, xas[i] as string, { transA: true, alpha: scale }) : null];
    });
    const wGrads = members.map((m) => {
      const gy = gyOf(m);
      return gy !== null && m.w.grad ? t.gemm(gy, x.name, { transA: true }) : null;
    });
    return [dx, ...wGrads, ...loraGrads];
  });
}

/**
 * RMSNorm over the last axis: y = x·r·w, r = (mean x² + ε)^−½; one fused SimplifiedLayerNormalization node
 * (which also returns r) where the tape allows onnxruntime's fused kernels, else standard ops.
 */
export function rmsNorm(t: GradTape, x: Val, w: Val, eps: number): Val {
  const h = x.shape[x.shape.length - 1] as number;
  let y: string;
  let r: string;
  if (t.fused) [y, r] = t.opMany('SimplifiedLayerNormalization', [x.name, w.name], 2, { axis: attr.int(-1), epsilon: attr.float(eps) }) as [string, string];
  else {
    const sumSq = t.op('ReduceSumSquare', [x.name], { axes: attr.ints([-1]), keepdims: attr.int(1) });
    r = t.op('Reciprocal', [t.op('Sqrt', [t.add(t.mul(sumSq, t.scalar(1 / h)), t.scalar(eps))])]);
    y = t.mul(t.mul(x.name, r), w.name);
  }
  return t.record(y, x.shape, [x, w], (gy) => {
    let dx: InputGrad = null;
    if (x.grad) {
      // dx = r·(gy⊙w) − x·r³·mean(gy⊙w⊙x), left as two terms: the Sum that joins x's gradients (the residual's) adds them
      const gw = t.mul(gy, w.name);
      const m = t.reduceMean(t.mul(gw, x.name), [-1], true);
      dx = [t.mul(gw, r), t.mul(x.name, t.op('Neg', [t.mul(t.mul(t.mul(r, r), r), m)]))];
    }
    const dw = w.grad ? t.reduceSum(t.mul(gy, t.mul(x.name, r)), [0], false) : null;
    return [dx, dw];
  });
}

/** [N, heads·D] → [B, heads, S, D]. */
export function splitHeads(t: GradTape, x: Val, b: number, s: number, heads: number, d: number): Val {
  const y = t.transpose(t.reshape(x.name, [b, s, heads, d]), [0, 2, 1, 3]);
  return t.record(y, [b, heads, s, d], [x], (gy) => [t.reshape(t.transpose(gy, [0, 2, 1, 3]), [b * s, heads * d])]);
}

/** [B, heads, S, D] → [N, heads·D]. */
export function mergeHeads(t: GradTape, x: Val): Val {
  const [b, heads, s, d] = x.shape as [number, number, number, number];
  const y = t.reshape(t.transpose(x.name, [0, 2, 1, 3]), [b * s, heads * d]);
  return t.record(y, [b * s, heads * d], [x], (gy) => [t.transpose(t.reshape(gy, [b, s, heads, d]), [0, 2, 1, 3])]);
}

/**
 * Causal softmax attention with grouped KV heads. qs [B, NH, S, D] are the queries already scaled by 1/√D (the
 * scale rides on their RoPE tables); k, v [B, NKV, S, D]; `bias` is the additive mask [B, 1, rep·S, S] (already
 * tiled for the rep = NH/NKV query heads sharing a KV head). The query heads of a group are stacked along the
 * sequence axis, so K and V are never copied per head. Softmax backward: ds = p⊙(dp − rowsum(dp⊙p)), where
 * rowsum(dp⊙p) = Σ_k p_k·(gctx·v_k) = gctx·ctx, a sum over D values per row instead of S.
 */
export function attention(t: GradTape, qs: Val, k: Val, v: Val, bias: string): Val {
  const [b, nh, s, d] = qs.shape as [number, number, number, number];
  const nkv = k.shape[1] as number;
  const grouped = [b, nkv, (nh / nkv) * s, d];
  const qg = t.reshape(qs.name, grouped);
  const kT = t.transpose(k.name, [0, 1, 3, 2]);
  const p = t.op('Softmax', [t.add(t.op('MatMul', [qg, kT]), bias)], { axis: attr.int(-1) });
  const ctxg = t.op('MatMul', [p, v.name]);
  const ctx = t.reshape(ctxg, [b, nh, s, d]);
  return t.record(ctx, qs.shape, [qs, k, v], (gy) => {
    const gctx = t.reshape(gy, grouped);
    const dv = v.grad ? t.op('MatMul', [t.transpose(p, [0, 1, 3, 2]), gctx]) : null;
    if (!qs.grad && !k.grad) return [null, null, dv];
    const dp = t.op('MatMul', [gctx, t.transpose(v.name, [0, 1, 3, 2])]);
    const ds = t.mul(p, t.sub(dp, t.reduceSum(t.mul(gctx, ctxg), [-1], true)));
    const dq = qs.grad ? t.reshape(t.op('MatMul', [ds, k.name]), [b, nh, s, d]) : null;
    const dk = k.grad ? t.op('MatMul', [t.transpose(ds, [0, 1, 3, 2]), qg]) : null;
    return [dq, dk, dv];
  });
}

/** SwiGLU: silu(g)·u. Backward: du = gy·silu(g), dg = gy·u·σ(g)·(1 + g − silu(g)). */
export function swiglu(t: GradTape, g: Val, u: Val): Val {
  const sig = t.op('Sigmoid', [g.name]);
  const silu = t.mul(g.name, sig);
  const y = t.mul(silu, u.name);
  return t.record(y, g.shape, [g, u], (gy) => {
    const dg = g.grad ? t.mul(t.mul(gy, u.name), t.mul(sig, t.add(t.sub(g.name, silu), t.scalar(1)))) : null;
    const du = u.grad ? t.mul(gy, silu) : null;
    return [dg, du];
  });
}

/** a + b (same shape). */
export function add(t: GradTape, a: Val, b: Val): Val {
  return t.record(t.add(a.name, b.name), a.shape, [a, b], (gy) => [gy, gy]);
}

/**
 * Rows of `table` [R, H] at int64 `indices` [n] → [n, H]. Backward: the gradient rows are added into a zero
 * [R, H] tensor at the same indices (ScatterND with reduction add, so repeated indices accumulate).
 */
export function gatherRows(t: GradTape, table: Val, indices: string, n: number): Val {
  const [rows, h] = table.shape as [number, number];
  const y = t.op('Gather', [table.name, indices], { axis: attr.int(0) });
  return t.record(y, [n, h], [table], (gy) => {
    const idx = t.op('Unsqueeze', [indices, t.int64([1])]);
    return [t.op('ScatterND', [t.zeros([rows, h]), idx, gy], { reduction: attr.string('add') })];
  });
}
