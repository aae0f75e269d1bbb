import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../base/atomic.js';
import type { TensorToWrite } from '../../backends/onnx/index.js';
import { writeSafetensorsAtomic } from './peft-output.js';
import type { TrainableTensor } from './trainable.js';

const COPIED = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'chat_template.jinja', 'chat_template.json'];

/**
 * Writes a fully fine-tuned model as a Hugging Face model folder: `config.json` (the base's, dtype float32 under
 * both spellings),
 * `model.safetensors` (F32, HF names) and the base's tokenizer and generation files. The transformers backend
 * loads it like any Llama checkpoint folder (converting it to ONNX in its cache); so does HF transformers.
 */
export function writeModelFolder(dir: string, baseDir: string, rawConfig: Record<string, unknown>, tensors: readonly TrainableTensor[]): void {
  mkdirSync(dir, { recursive: true });
  const entries = new Map<string, TensorToWrite>();
  for (const t of tensors) entries.set(t.name, { dtype: 'F32', shape: t.shape, bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) });
  writeSafetensorsAtomic(join(dir, 'model.safetensors'), entries, { format: 'pt' });
  const { 'transformers.js_config': _js, ...config } = rawConfig;
  // transformers ≥ 4.56 writes the dtype as `dtype` (older ones as `torch_dtype`): both must say what the file holds.
  writeJsonAtomic(join(dir, 'config.json'), { ...config, torch_dtype: 'float32', ...('dtype' in config ? { dtype: 'float32' } : {}) });
  for (const f of COPIED) if (existsSync(join(baseDir, f))) copyFileSync(join(baseDir, f), join(dir, f));
}
