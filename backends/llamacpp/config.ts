import { z } from 'zod';
import { ModelConfigSchema } from '../../registry/model-spec.js';

const LoraEntrySchema = z.strictObject({
  path: z.string().min(1).describe('A LoRA adapter in GGUF form: a local .gguf file, or a hub id with `file` naming the file in that repository.'),
  file: z.string().optional().describe('With a hub id in `path`: the adapter file (a name or a glob such as "*.gguf").'),
  revision: z.string().optional().describe('With a hub id: the branch, tag or commit to download (default main).'),
  scale: z.number().optional().describe('Multiplies the adapter (default 1; llama.cpp applies alpha/r on top).'),
});

/**
 * The `model_config` keys of the llamacpp backend: clemcore's llamacpp keys (`filename`, `execute_on`,
 * `gpu_layers_offloaded`), the registry's shared ones (chat template, `eos_to_cull`, `peft_model`), and clem-ts's
 * own (threads, parallel sequences, context per sequence, constrained replies, GGUF LoRA adapters, revision).
 */
export const LlamaCppModelConfigSchema = ModelConfigSchema.extend({
  filename: z
    .string()
    .optional()
    .describe('clemcore: the GGUF file in the hub repository (or local folder) named by huggingface_id; a glob such as "*Q4_K_M.gguf" must match one model (the first part of a split model).'),
  revision: z.string().optional().describe('Hub branch, tag or commit of huggingface_id (default main); pin a commit for reproducible runs.'),
  peft_revision: z.string().optional().describe('clem-ts: hub branch, tag or commit of model_config.peft_model (default main).'),
  execute_on: z.enum(['gpu', 'cpu']).optional().describe('clemcore: "gpu" offloads layers to a GPU when node-llama-cpp finds one (default), "cpu" never does.'),
  gpu_layers_offloaded: z.number().int().nonnegative().optional().describe('clemcore: how many layers go to the GPU (default: as many as fit).'),
  threads: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('clem-ts: CPU threads for evaluation. Default: one less than the CPU cores llama.cpp counts, at least 1 (spinning threads on a busy machine cost more than they give).'),
  max_batch_size: z.number().int().positive().optional().describe('clem-ts: parallel sequences, i.e. requests decoded together in one batch. Default 8.'),
  n_ctx: z.number().int().positive().optional().describe('clem-ts: context tokens per sequence (prompt + reply). Default 4096, or the model\'s training context if smaller.'),
  grammar: z.string().optional().describe('clem-ts: a GBNF grammar every reply must follow (llama.cpp grammar syntax).'),
  json_schema: z.record(z.string(), z.unknown()).optional().describe('clem-ts: a JSON schema every reply must follow (turned into a grammar by node-llama-cpp).'),
  lora: z.array(LoraEntrySchema).optional().describe('clem-ts: LoRA adapters in GGUF form applied to the model.'),
  memory_check: z.boolean().optional().describe('clem-ts: false loads the model even when its memory estimate exceeds the available memory.'),
});
export type LlamaCppModelConfig = z.infer<typeof LlamaCppModelConfigSchema>;
export type LoraEntry = z.infer<typeof LoraEntrySchema>;
