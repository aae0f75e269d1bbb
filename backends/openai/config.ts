import { basename } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { ModelConfigSchema, type ModelSpec } from '../../registry/model-spec.js';
import { envVarsFor, type KeyRing } from '../../registry/keys.js';

/** Hosted defaults per backend name; any other backend must name its server. */
const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
};

/** Sent as the bearer token to servers that need none (local vLLM, llama.cpp, Ollama). */
export const PLACEHOLDER_KEY = 'none';

/** Default per-request timeout in ms when `model_config.timeout_ms` is not set. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The `model_config` keys this backend reads: the registry's shared ones (reasoning_model, peft_model,
 * extra_body, …) plus its own clem-ts additions, which the registry keeps as unknown keys.
 */
const OpenAIModelConfigSchema = ModelConfigSchema.extend({
  timeout_ms: z.number().int().positive().optional().describe('Per-request timeout in ms (default 120000).'),
  lora_name: z.string().min(1).optional().describe('Served name of the LoRA adapter (vLLM --lora-modules name).'),
  max_tokens_field: z
    .enum(['max_tokens', 'max_completion_tokens'])
    .optional()
    .describe('Body field for the token limit (default: max_completion_tokens for openai and reasoning models, else max_tokens).'),
});

/** Everything the backend needs, resolved once at creation. Never printed whole: it holds the key. */
export interface OpenAIConfig {
  modelName: string;
  /** The key.json entry (and env variable family) used: the backend name or its alias. */
  backendName: string;
  /** The `model` field sent in the body (provider id, or the LoRA adapter's served name). */
  requestModel: string;
  baseURL: string;
  apiKey: string;
  /** Where the key came from (`env:OPENAI_API_KEY`, a key.json path), or null when none was found. */
  keySource: string | null;
  organization: string | null;
  timeoutMs: number;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  isReasoningModel: boolean;
  extraBody: Record<string, unknown>;
}

/**
 * Resolves base URL, key, model id and options for an OpenAI-compatible model.
 * Throws ConfigError when the model_config is malformed, no base URL can be found, or a hosted API has no key.
 */
/** Backend names that share another's key.json entry and environment variable. */
const KEY_NAME_ALIASES: Readonly<Record<string, string>> = { vllm: 'openai_compatible', ollama: 'openai_compatible' };

/** The key.json entry a backend reads: `keyName` if given, else the alias (vllm, ollama → openai_compatible), else the backend name. */
export function keyNameFor(backendName: string, keyName?: string): string {
  return keyName ?? KEY_NAME_ALIASES[backendName] ?? backendName;
}

export function resolveOpenAIConfig(spec: ModelSpec, keys: KeyRing, keyName?: string): OpenAIConfig {
  const parsed = OpenAIModelConfigSchema.safeParse(spec.model_config ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `model_config.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`${spec.model_name}: ${issues}`);
  }
  const mc = parsed.data;
  // Messages name the key entry, which is what the user edits (vllm and ollama read openai_compatible's).
  const backendName = keyNameFor(spec.backend, keyName);
  const entry = keys.get(backendName);
  const baseURL = spec.base_url ?? entry?.base_url ?? DEFAULT_BASE_URLS[backendName];
  if (!baseURL) {
    throw new ConfigError(
      `${spec.model_name}: no base URL for backend '${backendName}'. Set "base_url" in the model entry ` +
        `or in key.json under "${backendName}" (e.g. "http://127.0.0.1:8000/v1" for a local vLLM server).`,
    );
  }
  if (hasCredentials(baseURL)) {
    throw new ConfigError(
      `${spec.model_name}: the base URL for backend '${backendName}' contains a user name or password, which fetch refuses. ` +
        `Put the key in key.json under "${backendName}".api_key or in ${envVarHint(backendName)} instead.`,
    );
  }
  const isHosted = Object.values(DEFAULT_BASE_URLS).includes(baseURL.replace(/\/+$/, ''));
  const apiKey = entry?.api_key;
  if (!apiKey && (isHosted || mc.requires_api_key === true)) {
    throw new ConfigError(
      `${spec.model_name}: no API key for backend '${backendName}'. Set ${envVarHint(backendName)} or add ` +
        `{"${backendName}": {"api_key": "..."}} to key.json.`,
    );
  }
  const baseModel = spec.model_id ?? spec.model_name;
  const isReasoningModel = mc.reasoning_model === true;
  return {
    modelName: spec.model_name,
    backendName,
    requestModel: mc.peft_model ? (mc.lora_name ?? adapterName(mc.peft_model)) : baseModel,
    baseURL,
    apiKey: apiKey || PLACEHOLDER_KEY,
    keySource: apiKey ? (entry?.source ?? null) : null,
    organization: entry?.organisation ?? entry?.organization ?? null,
    timeoutMs: mc.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    maxTokensField: mc.max_tokens_field ?? (spec.backend === 'openai' || isReasoningModel ? 'max_completion_tokens' : 'max_tokens'),
    isReasoningModel,
    extraBody: mc.extra_body ?? {},
  };
}

/** The environment variable KeyRing consults first for a backend. */
export function envVarHint(backendName: string): string {
  return envVarsFor(backendName)[0] as string;
}

/** vLLM serves an adapter under its --lora-modules name; by convention the adapter folder's name. */
function adapterName(peftModel: string): string {
  return basename(peftModel.replace(/[\\/]+$/, ''));
}

function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false; // an unparsable URL fails at the first request, with the SDK's message
  }
}

/** The URL as safe to print: no user info, no query (either may carry a credential). */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}
