import { type LlamaConfig, ropeInvFreq } from '../../../backends/onnx/llama-config.js';
import { attr } from '../../../backends/onnx/onnx-model.js';
import type { GradTape, Val } from './tape.js';

/**
 * Rotary tables of one bucket, graph constants computed when the graph is built (every row's positions are
 * 0…S−1, so nothing is fed per step), each multiplied by `scale` (queries carry attention's 1/√D this way).
 * `fused`: onnxruntime's RotaryEmbedding caches [S, D/2] with the positions [B, S], and −sin for the backward
 * (emitted on first use, so a forward-only graph holds no unused constant);
 * `standard`: [B·S, 1, 2, D/2] tables for standard ops: `cos`, and `sinSigned` with −sin on the first half and
 * +sin on the second.
 */
export type RopeTables =
  | { kind: 'fused'; positions: string; cos: string; sin: string; sinNeg: () => string }
  | { kind: 'standard'; cos: string; sinSigned: string };

/** The angle s·θ_j of position s and frequency j, as HF computes it (inverse frequencies rounded to float32). */
function angles(c: LlamaConfig, seqLen: number): Float64Array {
  const half = c.headDim / 2;
  const inv = ropeInvFreq(c);
  const out = new Float64Array(seqLen * half);
  for (let s = 0; s < seqLen; s++) for (let j = 0; j < half; j++) out[s * half + j] = s * Math.fround(inv[j] as number);
  return out;
}

/** Emits the rotary tables of a [batchSize, seqLen] bucket as constants (see `RopeTables`). */
export function ropeTables(t: GradTape, c: LlamaConfig, batchSize: number, seqLen: number, scale: number): RopeTables {
  const half = c.headDim / 2;
  const a = angles(c, seqLen);
  if (t.fused) {
    const positions = t.int64(
      Array.from({ length: batchSize * seqLen }, (_, i) => i % seqLen),
      [batchSize, seqLen],
    );
    const dims = [seqLen, half];
    let sinNeg = '';
    return {
      kind: 'fused',
      positions,
      cos: t.constant(a.map((x) => scale * Math.cos(x)), dims),
      sin: t.constant(a.map((x) => scale * Math.sin(x)), dims),
      sinNeg: () => (sinNeg ||= t.constant(a.map((x) => -scale * Math.sin(x)), dims)),
    };
  }
  const n = batchSize * seqLen;
  const cos = new Float64Array(n * 2 * half);
  const sin = new Float64Array(n * 2 * half);
  for (let i = 0; i < n; i++) {
    const s = i % seqLen;
    for (let j = 0; j < half; j++) {
      const x = a[s * half + j] as number;
      const base = i * 2 * half;
      cos[base + j] = cos[base + half + j] = scale * Math.cos(x);
      sin[base + j] = -scale * Math.sin(x);
      sin[base + half + j] = scale * Math.sin(x);
    }
  }
  const dims = [n, 1, 2, half];
  return { kind: 'standard', cos: t.constant(cos, dims), sinSigned: t.constant(sin, dims) };
}

/** [N, heads·D] viewed as [N, heads, 2, D/2] with the two halves of each head swapped (one reversed Slice). */
function swapHalves(t: GradTape, x: string, n: number, heads: number, d: number): string {
  const halves = t.reshape(x, [n, heads, 2, d / 2]);
  return t.op('Slice', [halves, t.int64([-1]), t.int64([-(2 ** 62)]), t.int64([2]), t.int64([-1])]);
}

/** The rotation of [B, S, heads·D] by the tables' angles (−angles with `inverse`), in place of HF's x·cos + rotate_half(x)·sin. */
function rotate(t: GradTape, x: string, b: number, s: number, heads: number, d: number, tables: RopeTables, inverse: boolean): string {
  if (tables.kind === 'fused') {
    const [y] = t.opMany('RotaryEmbedding', [x, tables.positions, tables.cos, inverse ? tables.sinNeg() : tables.sin], 1, { num_heads: attr.int(heads) }, true);
    return y as string;
  }
  // y = x·cos + swap(x)·sinSigned; its transpose (the inverse rotation) gx = gy·cos + swap(gy·sinSigned)
  const n = b * s;
  const x4 = t.reshape(x, [n, heads, 2, d / 2]);
  const y = inverse ? t.add(t.mul(x4, tables.cos), swapHalves(t, t.mul(x4, tables.sinSigned), n, heads, d)) : t.add(t.mul(x4, tables.cos), t.mul(swapHalves(t, x, n, heads, d), tables.sinSigned));
  return t.reshape(y, [b, s, heads * d]);
}

/**
 * Rotary embedding on a projection output [N, heads·D] (N = B·S), then the split into heads [B, heads, S, D].
 * Backward: the head split's inverse, then the rotation by the opposite angles (a rotation's transpose).
 */
export function ropeHeads(t: GradTape, x: Val, b: number, s: number, heads: number, d: number, tables: RopeTables): Val {
  const y = rotate(t, t.reshape(x.name, [b, s, heads * d]), b, s, heads, d, tables, false);
  const out = t.transpose(t.reshape(y, [b, s, heads, d]), [0, 2, 1, 3]);
  return t.record(out, [b, heads, s, d], [x], (gy) => {
    const g = t.reshape(t.transpose(gy, [0, 2, 1, 3]), [b, s, heads * d]);
    return [t.reshape(rotate(t, g, b, s, heads, d, tables, true), [b * s, heads * d])];
  });
}
