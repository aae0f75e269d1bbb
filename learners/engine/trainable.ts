import { createRng, hashSeed } from '../../base/rng.js';
import type { LlamaConfig, LlamaWeights } from '../../backends/onnx/index.js';
import { type LoraOptions, type TensorShape, loraTensorShapes } from './graph/spec.js';

/** One tensor the optimizer updates, in Hugging Face / PEFT layout (row-major, linear weights [out, in]). */
export interface TrainableTensor {
  /** The graph's name: `model.layers.0.self_attn.q_proj.lora_A.weight` (LoRA) or an HF weight name (full). */
  name: string;
  shape: number[];
  data: Float32Array;
  /** Weight decay applies (HF Trainer leaves biases and norm weights out). */
  decay: boolean;
}

/**
 * LoRA tensors as PEFT initialises them (`init_lora_weights=True`): A [r, in] from kaiming_uniform(a=√5),
 * i.e. U(−1/√in, 1/√in), and B [out, r] = 0, so the adapted model starts equal to the base. Names and shapes
 * are the graph's (graph/spec.ts). Deterministic in `seed` (each tensor draws from its own stream).
 */
export function initLoraTensors(config: LlamaConfig, lora: LoraOptions, seed: number): TrainableTensor[] {
  return loraTensorShapes(config, lora).map((t: TensorShape) => {
    const data = new Float32Array(t.shape.reduce((a, b) => a * b, 1));
    if (t.name.endsWith('.lora_A.weight')) {
      const rng = createRng(hashSeed(seed, 'lora-init', t.name));
      const bound = 1 / Math.sqrt(t.shape[1] as number);
      for (let i = 0; i < data.length; i++) data[i] = (2 * rng.next() - 1) * bound;
    }
    return { name: t.name, shape: [...t.shape], data, decay: true };
  });
}

/**
 * Every weight of the model as a trainable tensor (full fine-tuning), in the order of `weights`. The arrays
 * are the ones in `weights` (updated in place). Norm weights get no weight decay, as in HF's Trainer.
 */
export function fullTensors(weights: LlamaWeights): TrainableTensor[] {
  return [...weights].map(([name, t]) => ({ name, shape: t.shape, data: t.data, decay: t.shape.length > 1 && !name.includes('norm') }));
}
