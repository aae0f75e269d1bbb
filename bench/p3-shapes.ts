/**
 * P3 model shapes and the FLOP count of a LoRA training step, shared by the P3 driver and its workers.
 */
import { type LlamaConfig, linearShapes, parameterCount } from '../backends/onnx/llama-config.js';
import type { Bucket } from '../learners/engine/graph/index.js';

function llama(sizes: Pick<LlamaConfig, 'vocabSize' | 'hiddenSize' | 'numLayers' | 'numHeads' | 'numKvHeads' | 'intermediateSize' | 'tieWordEmbeddings'>, extra: Partial<LlamaConfig> = {}): LlamaConfig {
  return {
    ...sizes,
    headDim: sizes.hiddenSize / sizes.numHeads,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    ropeScaling: null,
    maxPositionEmbeddings: 2048,
    bosTokenId: null,
    eosTokenId: null,
    padTokenId: null,
    ...extra,
  };
}

/** The benchmark's model shapes (random weights): ~35M, ~160M (SmolLM-135M with an untied head), Llama-3.2-1B. */
export const P3_SHAPES = {
  '35M': llama({ vocabSize: 8192, hiddenSize: 512, numLayers: 8, numHeads: 8, numKvHeads: 4, intermediateSize: 1536, tieWordEmbeddings: false }),
  '160M': llama({ vocabSize: 49152, hiddenSize: 576, numLayers: 30, numHeads: 9, numKvHeads: 3, intermediateSize: 1536, tieWordEmbeddings: false }),
  'llama-3.2-1B': llama(
    { vocabSize: 128256, hiddenSize: 2048, numLayers: 16, numHeads: 32, numKvHeads: 8, intermediateSize: 8192, tieWordEmbeddings: true },
    { ropeTheta: 500000, ropeScaling: { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 }, maxPositionEmbeddings: 131072 },
  ),
} as const satisfies Record<string, LlamaConfig>;
export type P3Shape = keyof typeof P3_SHAPES;

export function millions(c: LlamaConfig): string {
  return `${(parameterCount(c) / 1e6).toFixed(1)}M`;
}

/** The matrix-multiply FLOPs of one LoRA training step (forward + backward), by part. */
export interface StepFlops {
  /** The frozen linear layers: forward x·Wᵀ and the input gradient gy·W (none for layer 0's q/k/v). */
  frozen: number;
  /** lm_head on the target rows: forward and the input gradient. */
  head: number;
  /** The LoRA products: x·Aᵀ, (x·Aᵀ)·Bᵀ; backward gy·B, dB, dA and the input gradient through A. */
  lora: number;
  /** Attention scores and context over the full S×S (as a dense kernel executes them, masked half included), ×3 with the backward. */
  attention: number;
  /** Everything above. */
  step: number;
}

/**
 * Matrix-multiply FLOPs a LoRA training step must do (2 per multiply-add), by part (see `StepFlops`).
 * Elementwise work (norms, RoPE, SwiGLU, softmax, the loss head, dropout) is not counted. No gradient is
 * formed for a frozen weight, and none for the input of layer 0's q/k/v (the embedding is frozen).
 */
export function loraStepFlops(c: LlamaConfig, r: number, bucket: Bucket): StepFlops {
  const N = bucket.batchSize * bucket.seqLen;
  const f = { frozen: 0, head: 0, lora: 0, attention: 0, step: 0 };
  const attn = 2 * 2 * bucket.batchSize * c.numHeads * bucket.seqLen * bucket.seqLen * c.headDim;
  for (let l = 0; l < c.numLayers; l++) {
    for (const [key, [out, inp]] of Object.entries(linearShapes(c))) {
      const inputCarriesGrad = !(l === 0 && /[qkv]_proj/.test(key));
      f.frozen += 2 * N * inp * out * (inputCarriesGrad ? 2 : 1);
      f.lora += 2 * N * r * (inp + out); // forward: x·Aᵀ, then ·Bᵀ
      f.lora += 2 * N * out * r * 2 + 2 * N * r * inp; // gy·B, dB, dA
      if (inputCarriesGrad) f.lora += 2 * N * r * inp; // (gy·B)·A
    }
    f.attention += 3 * attn;
  }
  f.head = 2 * 2 * bucket.targetRows * c.hiddenSize * c.vocabSize;
  f.step = f.frozen + f.head + f.lora + f.attention;
  return f;
}
