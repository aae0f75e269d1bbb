import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { ModelConfigSchema, type ModelSpec } from '../../registry/model-spec.js';
import type { BackendDeps } from '../deps.js';
import { downloadForBackend, type FileSelector, isHubId } from '../hub/index.js';
import { assertFitsInMemory, availableMemoryBytes } from '../memory.js';
import { isOnnxConversionCached, openLlamaCheckpoint, prepareOnnxLlama } from '../onnx/index.js';
import { type ChatTokenizer, createChatTokenizer } from './chat-tokens.js';
import { configureTransformersEnv } from './env.js';
import { selectAdapterFiles, selectModelFiles } from './hub-files.js';
import { estimateConversion, estimateOnnxRun } from './memory-estimate.js';

/** The `model_config` keys this backend reads: the registry's shared ones (clemcore's huggingface_local keys) plus clem-ts batching knobs. */
export const TransformersModelConfigSchema = ModelConfigSchema.extend({
  max_batch_size: z.number().int().positive().optional().describe('clem-ts: most rows (prompts × n) in one batched generate call. Default 8.'),
  batch_window_ms: z.number().nonnegative().optional().describe('clem-ts: how long a request waits for others to batch with, in ms. Default 5.'),
  revision: z.string().optional().describe('clem-ts: hub branch, tag or commit of huggingface_id (default main); pin a commit for reproducible runs.'),
  peft_revision: z.string().optional().describe('clem-ts: hub branch, tag or commit of model_config.peft_model (default main).'),
  memory_check: z.boolean().optional().describe('clem-ts: false loads the model even when its memory estimate exceeds the available memory.'),
  score_batch_tokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('clem-ts: most tokens (summed over rows) in one batched score forward. Default: what keeps the logits under 512 MiB.'),
});
export type TransformersModelConfig = z.infer<typeof TransformersModelConfigSchema>;

/** Where the model is loaded from: a local folder with an ONNX model (given, downloaded, or converted in the cache). */
export interface ModelSource {
  kind: 'local';
  dir: string;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Finds a local folder for `id`: an absolute path, or a path relative to `modelsDir` (or to the working folder for ./ and ../). */
function findLocal(id: string, modelsDir: string | undefined): string | undefined {
  if (isAbsolute(id)) return isDir(id) ? id : undefined;
  const candidates = [modelsDir === undefined ? undefined : resolve(modelsDir, id), id.startsWith('.') ? resolve(id) : undefined];
  return candidates.find((c): c is string => c !== undefined && isDir(c));
}

function hasOnnx(dir: string): boolean {
  return isDir(join(dir, 'onnx')) && readdirSync(join(dir, 'onnx')).some((f) => f.endsWith('.onnx'));
}

/**
 * A local folder for `id`: the folder itself when it exists (absolute, or relative to `deps.modelsDir`), else the
 * hub repository `id` at `revision`, its needed files fetched into the Hugging Face cache (backends/hub). Throws
 * ConfigError for a path that does not exist, and the hub's errors (gated, not found, offline) as they are.
 */
async function locate(spec: ModelSpec, id: string, what: string, revision: string | undefined, select: FileSelector, deps: BackendDeps, folderHint: string): Promise<string> {
  const dir = findLocal(id, deps.modelsDir);
  if (dir !== undefined) return dir;
  if (isAbsolute(id) || id.startsWith('.') || !isHubId(id)) {
    const where = deps.modelsDir === undefined ? '' : ` (looked in ${deps.modelsDir})`;
    throw new ConfigError(`${spec.model_name}: ${what} '${id}' not found${where}. Point it at ${folderHint}, or at a Hugging Face hub id.`);
  }
  return (await downloadForBackend(deps, id, revision, select)).dir;
}

/**
 * Decides where the model comes from and makes it a local folder. `huggingface_id` (and `model_config.peft_model`)
 * may be local folders or hub ids; hub ids are downloaded (only the needed files, at `revision` /
 * `peft_revision`) into the shared Hugging Face cache. A folder with `onnx/*.onnx` is used as is; a Llama
 * safetensors checkpoint (f32, f16 or bf16), and any base with a LoRA adapter (merged), is converted into
 * `deps.cacheDir` first. Before either, the memory the model needs is checked against the memory available
 * (`model_config.memory_check: false` skips it). Throws ConfigError saying what to download, point to, or free.
 */
export async function resolveModelSource(spec: ModelSpec, cfg: TransformersModelConfig, deps: BackendDeps): Promise<ModelSource> {
  const id = spec.huggingface_id;
  if (id === undefined || id === '') {
    throw new ConfigError(`${spec.model_name}: the transformers backend needs huggingface_id (a local model folder or a Hugging Face hub id).`);
  }
  const adapterDir = cfg.peft_model === undefined ? undefined : await locate(spec, cfg.peft_model, 'PEFT adapter', cfg.peft_revision, selectAdapterFiles, deps, 'a folder with adapter_config.json and adapter_model.safetensors');
  const dir = await locate(spec, id, adapterDir === undefined ? 'model folder' : 'LoRA base model', cfg.revision, (paths) => selectModelFiles(paths, cfg.dtype), deps, 'a folder with onnx/model.onnx or a Llama model.safetensors');
  const available = () => (deps.availableMemory ?? availableMemoryBytes)();
  const remedy = 'Use a smaller model, or a quantized GGUF of it through the llamacpp backend.';
  if (adapterDir === undefined && hasOnnx(dir)) {
    if (cfg.memory_check !== false) assertFitsInMemory(spec.model_name, estimateOnnxRun(dir, cfg.dtype), available(), remedy);
    return { kind: 'local', dir };
  }
  if (cfg.memory_check !== false) {
    const convert = { baseDir: dir, ...(adapterDir === undefined ? {} : { adapterDir }), cacheDir: deps.cacheDir };
    const estimate = estimateConversion(openLlamaCheckpoint(dir, adapterDir === undefined ? 'model' : 'LoRA base model'), isOnnxConversionCached(convert));
    assertFitsInMemory(spec.model_name, estimate, available(), remedy);
  }
  return { kind: 'local', dir: prepareOnnxLlama({ baseDir: dir, ...(adapterDir === undefined ? {} : { adapterDir }), cacheDir: deps.cacheDir }).dir };
}

export interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  source: ModelSource;
  /** Token ids that end generation. */
  eosIds: ReadonlySet<number>;
  padId: number;
  /** The chat template and tokenizer every prompt, score and training row goes through. */
  chat: ChatTokenizer;
}

function ids(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return [];
}

/** A chat template kept beside the tokenizer (`chat_template.jinja`, as newer HF repositories ship it), if any. */
function templateFile(dir: string): string | undefined {
  const path = join(dir, 'chat_template.jinja');
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Loads tokenizer and model from a resolved local folder (never from the network). */
export async function loadModel(spec: ModelSpec, cfg: TransformersModelConfig, source: ModelSource): Promise<LoadedModel> {
  configureTransformersEnv();
  const path = source.dir;
  const modelOptions: Record<string, unknown> = { local_files_only: true };
  if (cfg.dtype !== undefined) modelOptions.dtype = cfg.dtype;
  if (cfg.device !== undefined) modelOptions.device = cfg.device;
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(path, { local_files_only: true });
    model = await AutoModelForCausalLM.from_pretrained(path, modelOptions);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConfigError(
      `${spec.model_name}: could not load '${path}': ${reason}. Check that the folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.`,
      { cause: e },
    );
  }
  const genConfig = (model as unknown as { generation_config?: Record<string, unknown> }).generation_config ?? {};
  const modelConfig = model.config as unknown as Record<string, unknown>;
  const tok = tokenizer as unknown as { eos_token_id?: number; pad_token_id?: number };
  const eosIds = new Set([...ids(genConfig.eos_token_id), ...ids(modelConfig.eos_token_id), ...ids(tok.eos_token_id)]);
  const padId = tok.pad_token_id ?? ids(genConfig.pad_token_id)[0] ?? [...eosIds][0] ?? 0;
  const chatTemplate = cfg.custom_chat_template ?? (tokenizer.chat_template ? undefined : templateFile(path));
  if (chatTemplate === undefined && !tokenizer.chat_template) {
    throw new ConfigError(`${spec.model_name}: the tokenizer of '${path}' has no chat template; set model_config.custom_chat_template.`);
  }
  const chat = createChatTokenizer(tokenizer, { chatTemplate, extraEndOfTurnIds: eosIds, padId });
  return { tokenizer, model, source, eosIds, padId, chat };
}
