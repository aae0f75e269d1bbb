import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { HfLlamaConfigSchema, type LlamaConfig, type LlamaWeights, fromHfConfig } from './llama-config.js';
import { readJson } from './model-folder.js';
import { SafetensorsFile } from './safetensors.js';

const ShardIndexSchema = z.looseObject({ weight_map: z.record(z.string(), z.string()) });

export interface LlamaCheckpoint {
  dir: string;
  config: LlamaConfig;
  /** config.json as read (kept so the merged model keeps the original's extra keys). */
  rawConfig: Record<string, unknown>;
  /** The .safetensors files holding the weights (one, or the shards of model.safetensors.index.json). */
  weightFiles: string[];
}

/**
 * Opens a Hugging Face Llama checkpoint folder (config.json + model.safetensors or a sharded index) without
 * reading the weights. Throws ConfigError naming the folder and what to download when files are missing,
 * and when config.json is not a supported Llama config.
 */
export function openLlamaCheckpoint(dir: string, what = 'base model'): LlamaCheckpoint {
  const configPath = join(dir, 'config.json');
  const single = join(dir, 'model.safetensors');
  const index = join(dir, 'model.safetensors.index.json');
  if (!existsSync(configPath) || (!existsSync(single) && !existsSync(index))) {
    throw new ConfigError(
      `${what} folder '${dir}' has no config.json and model.safetensors (or model.safetensors.index.json). ` +
        `Download the checkpoint, e.g. \`huggingface-cli download meta-llama/Llama-3.2-1B-Instruct --local-dir ${dir}\`, ` +
        `and point huggingface_id at that folder.`,
    );
  }
  const raw = z.record(z.string(), z.unknown()).parse(readJson(configPath));
  const parsed = HfLlamaConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${configPath}: not a supported Llama config (${issues}). Only model_type "llama" checkpoints can be converted.`);
  }
  let config: LlamaConfig;
  try {
    config = fromHfConfig(parsed.data);
  } catch (e) {
    throw new ConfigError(`${configPath}: ${(e as Error).message}`, { cause: e });
  }
  let weightFiles = [single];
  if (!existsSync(single)) {
    const idx = ShardIndexSchema.parse(readJson(index));
    weightFiles = [...new Set(Object.values(idx.weight_map))].sort().map((f) => join(dir, f));
  }
  return { dir, config, rawConfig: raw, weightFiles };
}

/** Reads every weight of the checkpoint as float32 (F32, F16, BF16 converted). Tied models have no lm_head.weight. */
export function readLlamaWeights(ckpt: LlamaCheckpoint): LlamaWeights {
  const weights: LlamaWeights = new Map();
  for (const path of ckpt.weightFiles) {
    const f = SafetensorsFile.open(path);
    for (const name of f.entries.keys()) {
      if (name.includes('rotary_emb.inv_freq')) continue;
      weights.set(name, f.readF32(name));
    }
  }
  if (ckpt.config.tieWordEmbeddings) weights.delete('lm_head.weight');
  return weights;
}
