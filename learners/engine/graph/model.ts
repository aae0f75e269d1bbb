import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLlamaCheckpoint, readLlamaWeights } from '../../../backends/onnx/llama-checkpoint.js';
import type { LlamaConfig, LlamaWeights } from '../../../backends/onnx/llama-config.js';
import { ConfigError } from '../../../base/errors.js';
import { createRng } from '../../../base/rng.js';
import { type LoraOptions, loraTensorShapes } from './spec.js';

/** A Llama model folder read for training: its config, every weight as float32 (HF names), its tokenizer. */
export interface TrainingModel {
  dir: string;
  config: LlamaConfig;
  /** config.json as read (a full fine-tune writes it back with its extra keys). */
  rawConfig: Record<string, unknown>;
  /** Float32 weights in HF layout; tied models have no `lm_head.weight`. F16 and BF16 files are converted. */
  weights: LlamaWeights;
  tokenizerPath: string;
}

/**
 * Reads a Hugging Face Llama model folder as the `transformers` backend finds it: `config.json`,
 * `model.safetensors` (or a sharded index) in F32, F16 or BF16, and `tokenizer.json`. Throws ConfigError
 * naming the folder and what is missing, or what in config.json is not supported.
 */
export function loadTrainingModel(dir: string): TrainingModel {
  const abs = resolve(dir);
  const ckpt = openLlamaCheckpoint(abs, 'training base model');
  const tokenizerPath = join(abs, 'tokenizer.json');
  if (!existsSync(tokenizerPath)) throw new ConfigError(`training base model folder '${abs}' has no tokenizer.json; copy the model's tokenizer files into it.`);
  return { dir: abs, config: ckpt.config, rawConfig: ckpt.rawConfig, weights: readLlamaWeights(ckpt), tokenizerPath };
}

/**
 * LoRA tensors initialised as PEFT does by default: A uniform in ±1/√in (kaiming-uniform with a = √5),
 * B zero, so the adapted model starts equal to the base. Deterministic in `seed`. Keys as `loraTensorShapes`.
 */
export function initLoraParams(c: LlamaConfig, lora: LoraOptions, seed: number): Map<string, Float32Array> {
  const rng = createRng(seed);
  const out = new Map<string, Float32Array>();
  for (const s of loraTensorShapes(c, lora)) {
    const [rows, cols] = s.shape as [number, number];
    const data = new Float32Array(rows * cols);
    if (s.name.endsWith('.lora_A.weight')) {
      const bound = 1 / Math.sqrt(cols);
      for (let i = 0; i < data.length; i++) data[i] = (2 * rng.next() - 1) * bound;
    }
    out.set(s.name, data);
  }
  return out;
}
