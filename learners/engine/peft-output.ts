import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { tempPathFor, writeJsonAtomic } from '../../base/atomic.js';
import { type TensorToWrite, writeSafetensors } from '../../backends/onnx/index.js';
import type { LoraOptions } from './graph/spec.js';
import type { TrainableTensor } from './trainable.js';

/** The state-dict key PEFT's `save_pretrained` writes for a LoRA tensor: PeftModel's and LoraModel's `base_model.model.` prefix. */
export function peftTensorKey(tensorName: string): string {
  if (!/\.lora_[AB]\.weight$/.test(tensorName)) throw new Error(`not a LoRA tensor name: ${tensorName}`);
  return `base_model.model.${tensorName}`;
}

/**
 * `adapter_config.json` for a plain LoRA adapter with PEFT's LoraConfig keys (all of which PEFT has read
 * since 0.9, which added `use_dora`; `inference_mode` true as `save_pretrained` writes it). Keys PEFT added
 * later (lora_bias, exclude_modules, …) are left out: PEFT fills their defaults when it loads the file.
 */
export function peftAdapterConfig(settings: LoraOptions, baseModel: string | null): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    revision: null,
    r: settings.r,
    lora_alpha: settings.alpha,
    lora_dropout: settings.dropout,
    target_modules: [...settings.targetModules],
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    modules_to_save: null,
    use_rslora: settings.rslora,
    use_dora: false,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

function f32(t: TrainableTensor): TensorToWrite {
  return { dtype: 'F32', shape: t.shape, bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) };
}

/** Writes a safetensors file atomically (temporary file beside it, then rename). */
export function writeSafetensorsAtomic(path: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata: Record<string, string>): void {
  const tmp = tempPathFor(path);
  writeSafetensors(tmp, tensors, metadata);
  renameSync(tmp, path);
}

/**
 * Writes a PEFT LoRA adapter folder: `adapter_model.safetensors` (F32, PEFT's keys and shapes: lora_A
 * [r, in], lora_B [out, r]) and `adapter_config.json`. `baseModel` is what PEFT loads the base from (a hub id
 * or a folder), or null. Each file is written atomically; the folder is created when missing.
 */
export function writePeftAdapter(dir: string, tensors: readonly TrainableTensor[], settings: LoraOptions, baseModel: string | null): void {
  mkdirSync(dir, { recursive: true });
  const entries = new Map<string, TensorToWrite>();
  for (const t of tensors) entries.set(peftTensorKey(t.name), f32(t));
  writeSafetensorsAtomic(join(dir, 'adapter_model.safetensors'), entries, { format: 'pt' });
  writeJsonAtomic(join(dir, 'adapter_config.json'), peftAdapterConfig(settings, baseModel));
}
