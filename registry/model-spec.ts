import { z } from 'zod';
import { safeNameSchema } from './safe-name.js';

/**
 * `model_config.http`: connection settings of the API backends (openai and OpenAI-compatible servers, anthropic,
 * google, mistral, cohere). Unknown keys are refused: a misspelt setting would otherwise be silently ignored.
 */
export const HttpConfigSchema = z
  .strictObject({
    headers: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Extra headers sent with every request (OpenRouter: HTTP-Referer, X-Title). Do not put keys here: use api_key_header.'),
    api_key_header: z
      .string()
      .min(1)
      .optional()
      .describe('Send the key (key.json or environment) in this header instead of "Authorization: Bearer" (Azure OpenAI: "api-key").'),
    keep_alive: z
      .boolean()
      .optional()
      .describe('Reuse connections (default true). false sends "Connection: close": the fix for llama.cpp\'s ~40 ms stall per call (backends/README.md).'),
    timeout_ms: z.number().int().positive().optional().describe('Per-request timeout in ms (default 120000).'),
  })
  .describe('Connection settings; the pool holds at most max_concurrency sockets per base URL.');

/**
 * One entry of model_registry.json. Compatible with clemcore's entries (unknown keys are kept, so a clemcore
 * registry loads unchanged) plus clem-ts fields (`base_url`, `generation`, `max_concurrency`,
 * `requests_per_minute`, `pricing`). On disk keys keep clemcore's snake_case.
 */
export const ModelConfigSchema = z
  .looseObject({
    peft_model: z.string().optional().describe('Path or hub id of a LoRA adapter (PEFT layout) applied on top of the base model.'),
    premade_chat_template: z.boolean().optional().describe('The tokenizer ships a chat template (clemcore huggingface_local).'),
    eos_to_cull: z.string().optional().describe('Regex cut from the end of generated text (clemcore).'),
    custom_chat_template: z.string().optional().describe('Jinja chat template used instead of the tokenizer one.'),
    requires_api_key: z.boolean().optional(),
    dtype: z.string().optional().describe('transformers.js dtype: fp32, fp16, q8, q4 …'),
    device: z.string().optional().describe('transformers.js device: cpu (default in Node), cuda, …'),
    reasoning_model: z.boolean().optional(),
    extra_body: z.record(z.string(), z.unknown()).optional().describe('Extra fields sent in an OpenAI-compatible request body.'),
    program: z.string().optional().describe('Programmatic backends: the program to run, e.g. "mock" or "20q/kb-greedy".'),
    replies: z.array(z.string()).optional().describe('Programmatic mock: scripted replies, used in order.'),
    http: HttpConfigSchema.optional().describe('clem-ts: how API backends talk to the server (headers, keep-alive, timeout).'),
    fallback_model: z
      .union([z.string().min(1), z.looseObject({ model_name: z.string().min(1), backend: z.string().min(1) })])
      .optional()
      .describe(
        'Programmatic backends: the model a program hands the turns it cannot answer to (kb-oracle → an LLM Answerer). A model name or selector, resolved against the registry when the model is resolved, or a full entry. `-m kb-oracle+gpt-4o-mini` sets it.',
      ),
  })
  .describe('Backend-specific settings; unknown keys are kept (clemcore compatibility). Each backend checks its own keys with its own schema (backends/openai/config.ts, backends/transformers/load.ts).');

export const PricingSchema = z.strictObject({
  input_per_mtok: z.number().nonnegative().describe('US dollars per million input tokens.'),
  output_per_mtok: z.number().nonnegative().describe('US dollars per million output tokens.'),
});

export const GenerationDefaultsSchema = z.strictObject({
  temperature: z.number().min(0).optional(),
  max_tokens: z.number().int().positive().optional(),
  top_p: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
});

export const ModelSpecSchema = z
  .looseObject({
    model_name: safeNameSchema('model_name').describe('The name used with -m; also the results folder name (a safe path component: registry/safe-name.ts).'),
    backend: z.string().min(1).describe('Backend that runs the model: openai, openai_compatible, huggingface_local, transformers, programmatic, …'),
    model_id: z.string().optional().describe('Provider model id for API backends.'),
    huggingface_id: z.string().optional().describe('Hub id or local folder of the model (local backends).'),
    release_date: z.string().optional(),
    open_weight: z.boolean().optional(),
    parameters: z.string().optional(),
    languages: z.array(z.string()).optional(),
    context_size: z.string().optional(),
    license: z.looseObject({ name: z.string().optional(), url: z.string().optional() }).optional(),
    model_config: ModelConfigSchema.optional(),
    base_url: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('clem-ts: base URL of the server, or a list of replicas serving the same model (calls go to the least-loaded healthy one).'),
    generation: GenerationDefaultsSchema.optional().describe('clem-ts: generation defaults, overridden by -t/-l.'),
    max_concurrency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('clem-ts: most requests in flight for this model in one run, per base URL (replica); also the most sockets its connection pool holds.'),
    requests_per_minute: z.number().positive().optional().describe('clem-ts: request rate limit for this model in one run.'),
    pricing: PricingSchema.optional().describe('clem-ts: prices, for the cost column of the requests log.'),
    lookup_source: z.string().optional().describe('Where the entry was found (added when loaded; not written back).'),
  })
  .describe('A model entry (clemcore-compatible; unknown keys kept).');

export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type HttpConfig = z.infer<typeof HttpConfigSchema>;

/** The base URLs of an entry as a list (empty when none is set). */
export function baseUrlsOf(spec: Pick<ModelSpec, 'base_url'>): string[] {
  const b = spec.base_url;
  return b === undefined ? [] : Array.isArray(b) ? [...b] : [b];
}
