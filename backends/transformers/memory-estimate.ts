import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatGiB, type MemoryEstimate } from '../memory.js';
import { type LlamaCheckpoint, parameterCount } from '../onnx/index.js';
import { onnxFileFor } from './hub-files.js';

/** ONNX Runtime's working memory beyond the weights (arena, activations of a batch), measured on the tiny and 100M models. */
const RUN_OVERHEAD = 1.2;
/** Node, transformers.js and ONNX Runtime themselves. */
const BASE_BYTES = 256 * 1024 ** 2;

/** Memory to run the ONNX model of a folder: its weight files (for `dtype`) plus ONNX Runtime's overhead. */
export function estimateOnnxRun(dir: string, dtype: string | undefined): MemoryEstimate {
  const onnx = onnxFileFor(dtype);
  const folder = join(dir, 'onnx');
  const name = onnx.slice('onnx/'.length);
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => f === name || f.startsWith(`${name}_data`)) : [];
  const weights = files.reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);
  return { bytes: weights * RUN_OVERHEAD + BASE_BYTES, parts: `${onnx} ${formatGiB(weights)} × ${RUN_OVERHEAD} + ${formatGiB(BASE_BYTES)}` };
}

/**
 * Memory to convert a Llama checkpoint to ONNX and run it: every weight is read as float32 (bf16 and f16 double in
 * size), written to ONNX, then loaded by ONNX Runtime. When the conversion is cached only the run counts.
 */
export function estimateConversion(ckpt: LlamaCheckpoint, converted: boolean): MemoryEstimate {
  const params = parameterCount(ckpt.config);
  const f32 = params * 4;
  const what = `${(params / 1e9).toFixed(2)}B parameters as float32 ${formatGiB(f32)}`;
  if (converted) return { bytes: f32 * RUN_OVERHEAD + BASE_BYTES, parts: `${what} × ${RUN_OVERHEAD} + ${formatGiB(BASE_BYTES)}` };
  // The JS copy of the weights may not be collected yet when ONNX Runtime maps the written file.
  return { bytes: f32 * (1 + RUN_OVERHEAD) + BASE_BYTES, parts: `${what}, converted to ONNX and loaded: × ${1 + RUN_OVERHEAD} + ${formatGiB(BASE_BYTES)}` };
}
