import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type LlamaCheckpoint, openLlamaCheckpoint, readLlamaWeights } from './llama-checkpoint.js';
import { type OnnxFolderOptions, writeJson, writeOnnxModelFolder } from './model-folder.js';
import { type PeftAdapter, mergeLoraInto, readPeftAdapter } from './peft-adapter.js';

/** Bumped when the ONNX writer changes what it writes, so old cache entries are not reused. */
const WRITER_VERSION = 1;
const MARKER = 'clem-ts-onnx.json';
const COPIED_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'chat_template.jinja', 'chat_template.json'];

function fileStamp(path: string): string {
  const s = statSync(path);
  return `${path}:${s.size}:${s.mtimeMs}`;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export interface PrepareOnnxOptions {
  /** Folder of a Hugging Face Llama checkpoint (config.json, model.safetensors, tokenizer files). */
  baseDir: string;
  /** Optional PEFT LoRA adapter folder merged into the base weights. */
  adapterDir?: string;
  /** Root of clem-ts caches; the model goes to `<cacheDir>/onnx-models/<hash>/`. */
  cacheDir: string;
  externalData?: OnnxFolderOptions['externalData'];
}

/** The cache folder a conversion of `options` goes to, with the opened checkpoint. */
function cacheEntry(options: PrepareOnnxOptions): { baseDir: string; ckpt: LlamaCheckpoint; adapterDir: string | undefined; adapter: PeftAdapter | undefined; dir: string } {
  const baseDir = resolve(options.baseDir);
  const ckpt = openLlamaCheckpoint(baseDir, options.adapterDir ? 'LoRA base model' : 'model');
  const adapterDir = options.adapterDir === undefined ? undefined : resolve(options.adapterDir);
  const adapter = adapterDir === undefined ? undefined : readPeftAdapter(adapterDir);
  const key = {
    writer: WRITER_VERSION,
    base: { config: readFileSync(join(baseDir, 'config.json'), 'utf8'), weights: ckpt.weightFiles.map(fileStamp) },
    adapter:
      adapterDir === undefined
        ? null
        : { config: readFileSync(join(adapterDir, 'adapter_config.json'), 'utf8'), weights: sha256File(join(adapterDir, 'adapter_model.safetensors')) },
    externalData: options.externalData ?? 'auto',
  };
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 20);
  return { baseDir, ckpt, adapterDir, adapter, dir: join(resolve(options.cacheDir), 'onnx-models', hash) };
}

/** Whether {@link prepareOnnxLlama} would reuse a finished conversion (no weights read, no memory needed for it). */
export function isOnnxConversionCached(options: PrepareOnnxOptions): boolean {
  return existsSync(join(cacheEntry(options).dir, MARKER));
}

/**
 * Converts a Llama safetensors checkpoint (optionally with a LoRA adapter merged: W' = W + (alpha/r)·B·A on
 * the target modules) into a transformers.js model folder (ONNX + config + tokenizer files) in the cache.
 * The folder is keyed by a hash of the base (config, weight file sizes and times) and the adapter (config and
 * weight contents), written under a temporary name and renamed when complete, and reused on later calls.
 * Throws ConfigError naming the folder and what to download when the base or the adapter is missing.
 */
export function prepareOnnxLlama(options: PrepareOnnxOptions): { dir: string; reused: boolean } {
  const { baseDir, ckpt, adapterDir, adapter, dir } = cacheEntry(options);
  if (existsSync(join(dir, MARKER))) return { dir, reused: true };

  const weights = readLlamaWeights(ckpt);
  if (adapter) mergeLoraInto(weights, adapter);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const folderOptions: OnnxFolderOptions = { configOverrides: ckpt.rawConfig };
  if (options.externalData !== undefined) folderOptions.externalData = options.externalData;
  writeOnnxModelFolder(tmp, ckpt.config, weights, folderOptions);
  for (const f of COPIED_FILES) if (existsSync(join(baseDir, f))) copyFileSync(join(baseDir, f), join(tmp, f));
  writeJson(join(tmp, MARKER), { base: baseDir, adapter: adapterDir ?? null, lora_scale: adapter?.scale ?? null, writer: WRITER_VERSION });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another process finished the same model first: use theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, MARKER))) throw e;
    return { dir, reused: true };
  }
  return { dir, reused: false };
}
