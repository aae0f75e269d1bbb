import type { FileSelection } from '../hub/index.js';

/** transformers.js's ONNX file suffix per dtype (its DEFAULT_DTYPE_SUFFIX_MAPPING, utils/dtypes.js). */
const DTYPE_SUFFIX: Readonly<Record<string, string>> = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

const TOKENIZER_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** Files the model uses when the repository has them (generation settings, special tokens, a separate chat template). */
const OPTIONAL_FILES = ['generation_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'chat_template.json'];
const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;

/** The ONNX file transformers.js loads for `dtype` (`onnx/model_q4.onnx` for q4); unknown dtypes get fp32's. */
export function onnxFileFor(dtype: string | undefined): string {
  return `onnx/model${DTYPE_SUFFIX[dtype ?? 'fp32'] ?? ''}.onnx`;
}

/**
 * The files of a model repository the transformers backend needs, and nothing else: config and tokenizer files;
 * then `onnx/model<suffix>.onnx` for `dtype` (with its external data chunks) when the repository has an ONNX export,
 * else the safetensors weights (one file, or the index and its shards), which are converted to ONNX locally.
 * Returns what is missing when `paths` hold no usable model.
 */
export function selectModelFiles(paths: readonly string[], dtype: string | undefined): FileSelection | string {
  const has = new Set(paths);
  const missing = TOKENIZER_FILES.filter((f) => !has.has(f));
  if (missing.length > 0) return `no ${missing.join(', ')} (a transformers model repository has config.json and the tokenizer files)`;
  const suffix = DTYPE_SUFFIX[dtype ?? 'fp32'];
  const onnx = `onnx/model${suffix ?? ''}.onnx`;
  const files = [...TOKENIZER_FILES];
  if (suffix !== undefined && has.has(onnx)) {
    files.push(onnx, ...paths.filter((p) => p.startsWith(`${onnx}_data`)).sort());
  } else if (has.has('model.safetensors')) {
    files.push('model.safetensors');
  } else if (has.has('model.safetensors.index.json')) {
    const shards = paths.filter((p) => SHARD.test(p)).sort();
    if (shards.length === 0) return 'model.safetensors.index.json but no model-NNNNN-of-NNNNN.safetensors shards';
    files.push('model.safetensors.index.json', ...shards);
  } else {
    const exports = paths.filter((p) => p.startsWith('onnx/') && p.endsWith('.onnx'));
    return exports.length > 0
      ? `no ${onnx} for dtype ${dtype ?? 'fp32'} (its ONNX files: ${exports.join(', ')}; set model_config.dtype to match one) and no model.safetensors`
      : `neither an ONNX export (${onnx}) nor model.safetensors weights`;
  }
  return { files, optional: OPTIONAL_FILES.filter((f) => !files.includes(f)) };
}

/** The files of a PEFT LoRA adapter repository: adapter_config.json and adapter_model.safetensors. */
export function selectAdapterFiles(paths: readonly string[]): FileSelection | string {
  const files = ['adapter_config.json', 'adapter_model.safetensors'];
  const missing = files.filter((f) => !paths.includes(f));
  if (missing.length === 0) return { files };
  const bin = paths.includes('adapter_model.bin') ? ' (it has adapter_model.bin, a pickle clem-ts does not read; convert it to safetensors)' : '';
  return `no ${missing.join(', ')}: not a PEFT LoRA adapter${bin}`;
}
