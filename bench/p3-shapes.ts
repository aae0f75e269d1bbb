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

/**
 * Matrix-multiply FLOPs of one LoRA training step (forward + backward) as the graph computes it: every
 * linear layer (2·N·in·out) and its LoRA branch, attention scores and context over the full S×S (as
 * executed, masked half included), lm_head on the target rows; backward: input gradients of the frozen
 * linears (none for layer 0's q/k/v, whose input carries no gradient), 2× the attention, the LoRA weight
 * and input gradients, lm_head's input gradient. Elementwise work is not counted.
 */
export function loraStepFlops(c: LlamaConfig, r: number, bucket: Bucket): { forward: number; step: number } {
  const N = bucket.batchSize * bucket.seqLen;
  const T = bucket.targetRows;
  let fwd = 0;
  let bwd = 0;
  const attn = 2 * 2 * bucket.batchSize * c.numHeads * bucket.seqLen * bucket.seqLen * c.headDim;
  for (let l = 0; l < c.numLayers; l++) {
    for (const [key, [out, inp]] of Object.entries(linearShapes(c))) {
      const inputCarriesGrad = !(l === 0 && /[qkv]_proj/.test(key));
      fwd += 2 * N * inp * out + 2 * N * r * (inp + out);
      bwd += inputCarriesGrad ? 2 * N * inp * out + 2 * N * r * inp : 0; // dx through W and through A
      bwd += 2 * N * out * r * 2 + 2 * N * r * inp; // gy·B, dB, dA
    }
    fwd += attn;
    bwd += 2 * attn;
  }
  const head = 2 * T * c.hiddenSize * c.vocabSize;
  return { forward: fwd + head, step: fwd + head + bwd + head };
}
