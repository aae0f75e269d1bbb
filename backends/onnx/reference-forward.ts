import { type F32Tensor, type LlamaConfig, type LlamaWeights, ropeInvFreq } from './llama-config.js';

/** A LoRA pair applied on the fly: y += scale · B·(A·x), A [r, in], B [out, r]. */
export interface LoraPair {
  a: F32Tensor;
  b: F32Tensor;
  scale: number;
}

function get(w: LlamaWeights, name: string): F32Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`missing weight ${name}`);
  return t;
}

/** y = W x for W [out, in] (HF layout), plus an optional LoRA term. */
function linear(x: Float64Array, w: F32Tensor, lora: LoraPair | undefined): Float64Array {
  const [out, inp] = w.shape as [number, number];
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = 0;
    const row = o * inp;
    for (let i = 0; i < inp; i++) s += (w.data[row + i] as number) * (x[i] as number);
    y[o] = s;
  }
  if (lora) {
    const [r] = lora.a.shape as [number, number];
    const ax = new Float64Array(r);
    for (let k = 0; k < r; k++) {
      let s = 0;
      for (let i = 0; i < inp; i++) s += (lora.a.data[k * inp + i] as number) * (x[i] as number);
      ax[k] = s;
    }
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += (lora.b.data[o * r + k] as number) * (ax[k] as number);
      y[o] = (y[o] as number) + lora.scale * s;
    }
  }
  return y;
}

function rmsNorm(x: Float64Array, w: F32Tensor, eps: number): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const inv = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * inv * (w.data[i] as number));
}

/**
 * Plain-TypeScript Llama forward pass over one unpadded sequence (float64 arithmetic, no KV cache), written
 * independently of the ONNX graph for tests: returns logits [ids.length, vocab] row-major. `lora` maps a
 * module name (`model.layers.0.self_attn.q_proj`) to an adapter applied on the fly. Slow: tiny models only.
 */
export function referenceLogits(c: LlamaConfig, w: LlamaWeights, ids: readonly number[], lora: ReadonlyMap<string, LoraPair> = new Map()): Float64Array {
  const { hiddenSize: H, headDim: D, numHeads: NH, numKvHeads: NKV } = c;
  const S = ids.length;
  const embed = get(w, 'model.embed_tokens.weight');
  let xs = ids.map((id) => Float64Array.from(embed.data.subarray(id * H, (id + 1) * H)));
  const invFreq = ropeInvFreq(c);
  const rope = (v: Float64Array, pos: number, heads: number): void => {
    for (let h = 0; h < heads; h++) {
      for (let j = 0; j < D / 2; j++) {
        const angle = pos * Math.fround(invFreq[j] as number);
        const a = v[h * D + j] as number;
        const b = v[h * D + j + D / 2] as number;
        v[h * D + j] = a * Math.cos(angle) - b * Math.sin(angle);
        v[h * D + j + D / 2] = b * Math.cos(angle) + a * Math.sin(angle);
      }
    }
  };
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}`;
    const lin = (x: Float64Array, key: string) => linear(x, get(w, `${p}.${key}.weight`), lora.get(`${p}.${key}`));
    const hs = xs.map((x) => rmsNorm(x, get(w, `${p}.input_layernorm.weight`), c.rmsNormEps));
    const qs = hs.map((h, t) => {
      const q = lin(h, 'self_attn.q_proj');
      rope(q, t, NH);
      return q;
    });
    const ks = hs.map((h, t) => {
      const k = lin(h, 'self_attn.k_proj');
      rope(k, t, NKV);
      return k;
    });
    const vs = hs.map((h) => lin(h, 'self_attn.v_proj'));
    xs = xs.map((x, t) => {
      const ctx = new Float64Array(NH * D);
      for (let h = 0; h < NH; h++) {
        const kvh = Math.floor(h / (NH / NKV));
        const scores: number[] = [];
        for (let u = 0; u <= t; u++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += (qs[t]?.[h * D + d] as number) * (ks[u]?.[kvh * D + d] as number);
          scores.push(s / Math.sqrt(D));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let u = 0; u <= t; u++) {
          for (let d = 0; d < D; d++) ctx[h * D + d] = (ctx[h * D + d] as number) + ((e[u] as number) / z) * (vs[u]?.[kvh * D + d] as number);
        }
      }
      const attn = lin(ctx, 'self_attn.o_proj');
      const x1 = x.map((v, i) => v + (attn[i] as number));
      const h2 = rmsNorm(x1, get(w, `${p}.post_attention_layernorm.weight`), c.rmsNormEps);
      const gate = lin(h2, 'mlp.gate_proj');
      const up = lin(h2, 'mlp.up_proj');
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      const down = lin(act, 'mlp.down_proj');
      return x1.map((v, i) => v + (down[i] as number));
    });
  }
  const head = w.get('lm_head.weight') ?? embed;
  const out = new Float64Array(S * c.vocabSize);
  xs.forEach((x, t) => out.set(linear(rmsNorm(x, get(w, 'model.norm.weight'), c.rmsNormEps), head, undefined), t * c.vocabSize));
  return out;
}

/** Natural-log softmax of each row of a [rows, cols] matrix. */
export function logSoftmaxRows(logits: ArrayLike<number>, cols: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r * cols < logits.length; r++) {
    let m = -Infinity;
    for (let i = 0; i < cols; i++) m = Math.max(m, logits[r * cols + i] as number);
    let z = 0;
    for (let i = 0; i < cols; i++) z += Math.exp((logits[r * cols + i] as number) - m);
    const lz = m + Math.log(z);
    for (let i = 0; i < cols; i++) out[r * cols + i] = (logits[r * cols + i] as number) - lz;
  }
  return out;
}
