import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLlamaCheckpoint, readLlamaWeights } from '../../../backends/onnx/llama-checkpoint.js';
import type { LlamaConfig, LlamaWeights } from '../../../backends/onnx/llama-config.js';
import { ConfigError } from '../../../base/errors.js';

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
