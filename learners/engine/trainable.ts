import { createRng, hashSeed } from '../../base/rng.js';
import { type LlamaConfig, type LlamaWeights, linearShapes } from '../../backends/onnx/index.js';

/** The projections LoRA can adapt in a Llama block, by PEFT's short module names. */
export const LORA_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraModule = (typeof LORA_MODULES)[number];

/** LoRA settings, as PEFT's LoraConfig names them (r, lora_alpha, lora_dropout, target_modules). */
export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  targetModules: LoraModule[];
}

/** One tensor the optimizer updates, in Hugging Face / PEFT layout (row-major, linear weights [out, in]). */
export interface TrainableTensor {
  /** `model.layers.0.self_attn.q_proj.lora_A` (LoRA) or an HF weight name (full fine-tuning). */
  name: string;
  shape: number[];
  data: Float32Array;
  /** Weight decay applies (HF Trainer leaves biases and norm weights out). */
  decay: boolean;
}

/** One adapted projection: its module path and sizes. */
export interface LoraTarget {
  /** HF module path, e.g. `model.layers.3.mlp.down_proj`. */
  module: string;
  inFeatures: number;
  outFeatures: number;
}

/** The projections `settings.targetModules` adapts, layer by layer, in the order PEFT walks the model. */
export function loraTargets(config: LlamaConfig, targetModules: readonly LoraModule[]): LoraTarget[] {
  const out: LoraTarget[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    for (const [key, [outFeatures, inFeatures]] of Object.entries(linearShapes(config))) {
      const short = key.split('.')[1] as LoraModule;
      if (targetModules.includes(short)) out.push({ module: `model.layers.${l}.${key}`, inFeatures, outFeatures });
    }
  }
  return out;
}

/** Names and shapes of one target's two LoRA tensors, in PEFT's layout: A [r, in] (nn.Linear(in, r)), B [out, r]. */
export function loraTensorShapes(t: LoraTarget, r: number): [{ name: string; shape: number[] }, { name: string; shape: number[] }] {
  return [
    { name: `${t.module}.lora_A`, shape: [r, t.inFeatures] },
    { name: `${t.module}.lora_B`, shape: [t.outFeatures, r] },
  ];
}

/**
 * LoRA tensors as PEFT initialises them (`init_lora_weights=True`): A [r, in] from kaiming_uniform(a=√5),
 * i.e. U(−1/√in, 1/√in), and B [out, r] = 0, so the adapted model starts equal to the base. Deterministic in
 * `seed` (each module draws from its own stream).
 */
export function initLoraTensors(config: LlamaConfig, settings: LoraSettings, seed: number): TrainableTensor[] {
  const tensors: TrainableTensor[] = [];
  for (const t of loraTargets(config, settings.targetModules)) {
    const [a, b] = loraTensorShapes(t, settings.r);
    const rng = createRng(hashSeed(seed, 'lora-init', t.module));
    const bound = 1 / Math.sqrt(t.inFeatures);
    const aData = new Float32Array(settings.r * t.inFeatures);
    for (let i = 0; i < aData.length; i++) aData[i] = (2 * rng.next() - 1) * bound;
    tensors.push({ ...a, data: aData, decay: true });
    tensors.push({ ...b, data: new Float32Array(t.outFeatures * settings.r), decay: true });
  }
  return tensors;
}

/**
 * Every weight of the model as a trainable tensor (full fine-tuning), in the order of `weights`. The arrays
 * are the ones in `weights` (updated in place). Norm weights get no weight decay, as in HF's Trainer.
 */
export function fullTensors(weights: LlamaWeights): TrainableTensor[] {
  return [...weights].map(([name, t]) => ({ name: name.replace(/\.weight$/, ''), shape: t.shape, data: t.data, decay: t.shape.length > 1 && !name.includes('norm') }));
}
