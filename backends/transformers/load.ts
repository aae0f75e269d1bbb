import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { ModelConfigSchema, type ModelSpec } from '../../registry/model-spec.js';
import type { BackendDeps } from '../deps.js';
import { prepareOnnxLlama } from '../onnx/index.js';
import { type ChatTokenizer, createChatTokenizer } from './chat-tokens.js';
import { configureTransformersEnv } from './env.js';

/** The `model_config` keys this backend reads: the registry's shared ones (clemcore's huggingface_local keys) plus clem-ts batching knobs. */
export const TransformersModelConfigSchema = ModelConfigSchema.extend({
  max_batch_size: z.number().int().positive().optional().describe('clem-ts: most rows (prompts × n) in one batched generate call. Default 8.'),
  batch_window_ms: z.number().nonnegative().optional().describe('clem-ts: how long a request waits for others to batch with, in ms. Default 5.'),
  score_batch_tokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('clem-ts: most tokens (summed over rows) in one batched score forward. Default: what keeps the logits under 512 MiB.'),
});
export type TransformersModelConfig = z.infer<typeof TransformersModelConfigSchema>;

export type ModelSource = { kind: 'local'; dir: string } | { kind: 'hub'; id: string };

const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

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
 * Decides where the model comes from. A local folder with `onnx/*.onnx` is used as is; a local Llama
 * safetensors checkpoint (and any base named with `peft_model`) is converted, with the adapter merged,
 * into `deps.cacheDir` and that folder is used; anything else that looks like a hub id goes to the hub.
 * Throws ConfigError saying what to download or point to.
 */
export function resolveModelSource(spec: ModelSpec, cfg: TransformersModelConfig, deps: BackendDeps): ModelSource {
  const id = spec.huggingface_id;
  if (id === undefined || id === '') {
    throw new ConfigError(`${spec.model_name}: the transformers backend needs huggingface_id (a local model folder or a Hugging Face hub id).`);
  }
  const dir = findLocal(id, deps.modelsDir);
  const where = deps.modelsDir === undefined ? '' : ` (looked in ${deps.modelsDir})`;
  if (cfg.peft_model !== undefined) {
    const adapterDir = findLocal(cfg.peft_model, deps.modelsDir);
    if (dir === undefined) {
      throw new ConfigError(
        `${spec.model_name}: LoRA base model '${id}' is not a local folder${where}. Download it, e.g. ` +
          `\`huggingface-cli download ${id} --local-dir <folder>\`, and point huggingface_id at the folder.`,
      );
    }
    if (adapterDir === undefined) {
      throw new ConfigError(
        `${spec.model_name}: PEFT adapter '${cfg.peft_model}' is not a local folder${where}. Download it, e.g. ` +
          `\`huggingface-cli download ${cfg.peft_model} --local-dir <folder>\`, and point model_config.peft_model at the folder.`,
      );
    }
    return { kind: 'local', dir: prepareOnnxLlama({ baseDir: dir, adapterDir, cacheDir: deps.cacheDir }).dir };
  }
  if (dir !== undefined) return { kind: 'local', dir: hasOnnx(dir) ? dir : prepareOnnxLlama({ baseDir: dir, cacheDir: deps.cacheDir }).dir };
  if (isAbsolute(id) || id.startsWith('.') || !HUB_ID.test(id)) {
    throw new ConfigError(`${spec.model_name}: model folder '${id}' not found${where}. Point huggingface_id at a folder with onnx/model.onnx or a Llama model.safetensors.`);
  }
  return { kind: 'hub', id };
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

/** Loads tokenizer and model for a resolved source. Hub failures become a ConfigError that says what to download. */
export async function loadModel(spec: ModelSpec, cfg: TransformersModelConfig, source: ModelSource, deps: BackendDeps): Promise<LoadedModel> {
  const isHub = source.kind === 'hub';
  configureTransformersEnv(isHub ? { hubCacheDir: join(deps.cacheDir, 'huggingface') } : {});
  const path = source.kind === 'local' ? source.dir : source.id;
  const modelOptions: Record<string, unknown> = { local_files_only: !isHub };
  if (cfg.dtype !== undefined) modelOptions.dtype = cfg.dtype;
  if (cfg.device !== undefined) modelOptions.device = cfg.device;
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(path, { local_files_only: !isHub });
    model = await AutoModelForCausalLM.from_pretrained(path, modelOptions);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const hint = isHub
      ? `Download an ONNX export of it (e.g. \`huggingface-cli download ${path} --local-dir <folder>\`, or a Llama safetensors checkpoint) and point huggingface_id at the folder.`
      : 'Check that the folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.';
    throw new ConfigError(`${spec.model_name}: could not load '${path}'${isHub ? ' from the Hugging Face hub' : ''}: ${reason}. ${hint}`, { cause: e });
  }
  const genConfig = (model as unknown as { generation_config?: Record<string, unknown> }).generation_config ?? {};
  const modelConfig = model.config as unknown as Record<string, unknown>;
  const tok = tokenizer as unknown as { eos_token_id?: number; pad_token_id?: number };
  const eosIds = new Set([...ids(genConfig.eos_token_id), ...ids(modelConfig.eos_token_id), ...ids(tok.eos_token_id)]);
  const padId = tok.pad_token_id ?? ids(genConfig.pad_token_id)[0] ?? [...eosIds][0] ?? 0;
  if (cfg.custom_chat_template === undefined && !tokenizer.chat_template) {
    throw new ConfigError(`${spec.model_name}: the tokenizer of '${path}' has no chat template; set model_config.custom_chat_template.`);
  }
  const chat = createChatTokenizer(tokenizer, { chatTemplate: cfg.custom_chat_template, extraEndOfTurnIds: eosIds, padId });
  return { tokenizer, model, source, eosIds, padId, chat };
}
