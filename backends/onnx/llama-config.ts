import { z } from 'zod';

/** Sizes and constants of a Llama-architecture decoder, in memory (camelCase). */
export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  rmsNormEps: number;
  ropeTheta: number;
  /** Llama-3 style rope scaling (`rope_type: "llama3"`), or null for plain RoPE. */
  ropeScaling: Llama3RopeScaling | null;
  tieWordEmbeddings: boolean;
  maxPositionEmbeddings: number;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  padTokenId: number | null;
}

export interface Llama3RopeScaling {
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  originalMaxPositionEmbeddings: number;
}

/** A float32 tensor, row-major, in Hugging Face layout (linear weights are [out, in]). */
export interface F32Tensor {
  shape: number[];
  data: Float32Array;
}

/** Weights keyed by Hugging Face names (`model.layers.0.self_attn.q_proj.weight`, …). */
export type LlamaWeights = Map<string, F32Tensor>;

const tokenId = z.number().int().nullable().optional();

/** HF `config.json` of a Llama model; unknown keys are kept (real configs carry many). */
export const HfLlamaConfigSchema = z.looseObject({
  model_type: z.literal('llama').describe('Only the Llama architecture is supported by the ONNX writer.'),
  vocab_size: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().optional(),
  intermediate_size: z.number().int().positive(),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  rope_scaling: z
    .looseObject({
      rope_type: z.string().optional(),
      type: z.string().optional(),
      factor: z.number().optional(),
      low_freq_factor: z.number().optional(),
      high_freq_factor: z.number().optional(),
      original_max_position_embeddings: z.number().optional(),
    })
    .nullable()
    .optional(),
  tie_word_embeddings: z.boolean().default(false),
  max_position_embeddings: z.number().int().positive().default(2048),
  bos_token_id: tokenId,
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
  pad_token_id: tokenId,
  attention_bias: z.boolean().optional(),
  mlp_bias: z.boolean().optional(),
});
export type HfLlamaConfig = z.infer<typeof HfLlamaConfigSchema>;

/**
 * Converts a parsed HF config to a LlamaConfig. Throws an Error naming the unsupported feature
 * (attention/MLP biases, rope scaling other than llama3).
 */
export function fromHfConfig(hf: HfLlamaConfig): LlamaConfig {
  if (hf.attention_bias === true || hf.mlp_bias === true) throw new Error('attention_bias / mlp_bias are not supported');
  let ropeScaling: Llama3RopeScaling | null = null;
  const rs = hf.rope_scaling;
  if (rs) {
    const type = rs.rope_type ?? rs.type;
    if (type !== 'llama3' && type !== 'default') throw new Error(`rope_scaling type '${String(type)}' is not supported (only llama3)`);
    if (type === 'llama3') {
      ropeScaling = {
        factor: rs.factor ?? 8,
        lowFreqFactor: rs.low_freq_factor ?? 1,
        highFreqFactor: rs.high_freq_factor ?? 4,
        originalMaxPositionEmbeddings: rs.original_max_position_embeddings ?? 8192,
      };
    }
  }
  return {
    vocabSize: hf.vocab_size,
    hiddenSize: hf.hidden_size,
    numLayers: hf.num_hidden_layers,
    numHeads: hf.num_attention_heads,
    numKvHeads: hf.num_key_value_heads ?? hf.num_attention_heads,
    headDim: hf.head_dim ?? hf.hidden_size / hf.num_attention_heads,
    intermediateSize: hf.intermediate_size,
    rmsNormEps: hf.rms_norm_eps,
    ropeTheta: hf.rope_theta,
    ropeScaling,
    tieWordEmbeddings: hf.tie_word_embeddings,
    maxPositionEmbeddings: hf.max_position_embeddings,
    bosTokenId: hf.bos_token_id ?? null,
    eosTokenId: hf.eos_token_id ?? null,
    padTokenId: hf.pad_token_id ?? null,
  };
}

/** The `config.json` object for a LlamaConfig (what transformers.js and HF transformers read). */
export function toHfConfig(c: LlamaConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    head_dim: c.headDim,
    intermediate_size: c.intermediateSize,
    hidden_act: 'silu',
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: c.ropeScaling
      ? {
          rope_type: 'llama3',
          factor: c.ropeScaling.factor,
          low_freq_factor: c.ropeScaling.lowFreqFactor,
          high_freq_factor: c.ropeScaling.highFreqFactor,
          original_max_position_embeddings: c.ropeScaling.originalMaxPositionEmbeddings,
        }
      : null,
    tie_word_embeddings: c.tieWordEmbeddings,
    max_position_embeddings: c.maxPositionEmbeddings,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    pad_token_id: c.padTokenId,
    attention_bias: false,
    mlp_bias: false,
    torch_dtype: 'float32',
    ...extra,
  };
}

/** RoPE inverse frequencies [headDim/2], with Llama-3 scaling applied when configured (as HF transformers does). */
export function ropeInvFreq(c: LlamaConfig): Float64Array {
  const half = c.headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / Math.pow(c.ropeTheta, (2 * i) / c.headDim);
  const s = c.ropeScaling;
  if (!s) return inv;
  const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  for (let i = 0; i < half; i++) {
    const f = inv[i] ?? 0;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen > lowWavelen) inv[i] = f / s.factor;
    else if (wavelen >= highWavelen) {
      const smooth = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
      inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
    }
  }
  return inv;
}

/** HF weight names of one layer's linear projections, with their [out, in] shapes. */
export function linearShapes(c: LlamaConfig): Record<string, [number, number]> {
  const q = c.numHeads * c.headDim;
  const kv = c.numKvHeads * c.headDim;
  return {
    'self_attn.q_proj': [q, c.hiddenSize],
    'self_attn.k_proj': [kv, c.hiddenSize],
    'self_attn.v_proj': [kv, c.hiddenSize],
    'self_attn.o_proj': [c.hiddenSize, q],
    'mlp.gate_proj': [c.intermediateSize, c.hiddenSize],
    'mlp.up_proj': [c.intermediateSize, c.hiddenSize],
    'mlp.down_proj': [c.hiddenSize, c.intermediateSize],
  };
}

/** Number of parameters (tied lm_head counted once). */
export function parameterCount(c: LlamaConfig): number {
  let perLayer = 2 * c.hiddenSize;
  for (const [o, i] of Object.values(linearShapes(c))) perLayer += o * i;
  const embed = c.vocabSize * c.hiddenSize;
  return embed + (c.tieWordEmbeddings ? 0 : embed) + c.numLayers * perLayer + c.hiddenSize;
}
