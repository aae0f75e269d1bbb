import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../base/atomic.js';
import { ConfigError } from '../../base/errors.js';
import { buildLlamaGraph } from './llama-graph.js';
import type { LlamaConfig, LlamaWeights } from './llama-config.js';
import { toHfConfig } from './llama-config.js';

/** A JSON file of a model folder (config.json, adapter_config.json …); throws ConfigError naming it when unreadable. */
export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new ConfigError(`${path}: not readable JSON (${(e as Error).message})`, { cause: e });
  }
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export interface OnnxFolderOptions {
  /** Store weights in `onnx/model.onnx_data*`. Default 'auto': only when the weights exceed 1 GiB (protobuf caps a file at 2 GiB). */
  externalData?: boolean | 'auto';
  /** Chunk size for external data (tests use a small one to exercise several chunks). */
  chunkBytes?: number;
  /** Extra or overriding keys for config.json (e.g. the base model's original config). */
  configOverrides?: Record<string, unknown>;
}

/**
 * Writes `onnx/model.onnx` (+ external data) and `config.json` for a Llama model into `dir`, in the layout
 * transformers.js loads (`transformers.js_config.use_external_data_format` says how many data chunks).
 * Returns the number of external data chunks (0 when embedded).
 */
export function writeOnnxModelFolder(dir: string, config: LlamaConfig, weights: LlamaWeights, options: OnnxFolderOptions = {}): { dataChunks: number } {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  let totalBytes = 0;
  for (const t of weights.values()) totalBytes += t.data.byteLength;
  const mode = options.externalData ?? 'auto';
  const externalData = mode === 'auto' ? totalBytes > 2 ** 30 : mode;
  const graph = buildLlamaGraph(config, weights);
  const chunkOption = options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes };
  const { dataChunks } = graph.write(join(dir, 'onnx', 'model.onnx'), { externalData, ...chunkOption });
  const jsConfig = { 'transformers.js_config': { dtype: 'fp32', use_external_data_format: dataChunks > 0 ? dataChunks : false } };
  writeJson(join(dir, 'config.json'), { ...toHfConfig(config), ...options.configOverrides, ...jsConfig });
  return { dataChunks };
}

