import { basename } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { envVarsFor, type KeyRing } from '../../registry/keys.js';
import { baseUrlsOf, ModelConfigSchema, type ModelSpec } from '../../registry/model-spec.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../http/index.js';
import { HOSTED_PROFILES, OPENAI_PROFILE, prefersMaxCompletionTokens, type ProviderProfile } from './profile.js';

/** Sent as the bearer token to servers that need none (local vLLM, llama.cpp, Ollama). */
export const PLACEHOLDER_KEY = 'none';

/** Default per-request timeout in ms when neither `model_config.http.timeout_ms` nor `model_config.timeout_ms` is set. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_REQUEST_TIMEOUT_MS;

/**
 * The `model_config` keys this backend reads: the registry's shared ones (reasoning_model, peft_model,
 * extra_body, http, …) plus its own clem-ts additions, which the registry keeps as unknown keys.
 */
const OpenAIModelConfigSchema = ModelConfigSchema.extend({
  timeout_ms: z.number().int().positive().optional().describe('Per-request timeout in ms (older spelling of http.timeout_ms).'),
  lora_name: z.string().min(1).optional().describe('Served name of the LoRA adapter (vLLM --lora-modules name).'),
  max_tokens_field: z
    .enum(['max_tokens', 'max_completion_tokens'])
    .optional()
    .describe("Body field for the token limit (default: max_completion_tokens on OpenAI's own API, max_tokens on every other server)."),
});

/** Everything the backend needs, resolved once at creation. Never printed whole: it holds the key. */
export interface OpenAIConfig {
  modelName: string;
  /** The key.json entry (and env variable family) used: the backend name or its alias. */
  backendName: string;
  profile: ProviderProfile;
  /** The `model` field sent in the body (provider id, or the LoRA adapter's served name). */
  requestModel: string;
  /** One base URL per replica (at least one). */
  baseURLs: string[];
  apiKey: string;
  /** Where the key came from (`env:OPENAI_API_KEY`, a key.json path), or null when none was found. */
  keySource: string | null;
  organization: string | null;
  timeoutMs: number;
  keepAlive: boolean;
  /** Extra headers, lower-cased (model_config.http.headers). */
  headers: Record<string, string>;
  /** The header carrying the key (`authorization` with "Bearer", or model_config.http.api_key_header). */
  apiKeyHeader: string | null;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  isReasoningModel: boolean;
  extraBody: Record<string, unknown>;
}

/** Backend names that share another's key.json entry and environment variable. */
const KEY_NAME_ALIASES: Readonly<Record<string, string>> = { vllm: 'openai_compatible', ollama: 'openai_compatible' };

/** The key.json entry a backend reads: `keyName` if given, else the alias (vllm, ollama → openai_compatible), else the backend name. */
export function keyNameFor(backendName: string, keyName?: string): string {
  return keyName ?? KEY_NAME_ALIASES[backendName] ?? backendName;
}

/**
 * Resolves base URLs, key, model id and options for a model served in the OpenAI chat format.
 * Throws ConfigError when the model_config is malformed, no base URL can be found, or a hosted API has no key.
 */
export function resolveOpenAIConfig(spec: ModelSpec, keys: KeyRing, keyName?: string, profile?: ProviderProfile): OpenAIConfig {
  const parsed = OpenAIModelConfigSchema.safeParse(spec.model_config ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `model_config.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`${spec.model_name}: ${issues}`);
  }
  const mc = parsed.data;
  // Messages name the key entry, which is what the user edits (vllm and ollama read openai_compatible's).
  const backendName = keyNameFor(spec.backend, keyName);
  const prof = profile ?? HOSTED_PROFILES[backendName] ?? OPENAI_PROFILE;
  const entry = keys.get(backendName);
  const given = baseUrlsOf(spec);
  const baseURLs = given.length > 0 ? given : [entry?.base_url ?? prof.defaultBaseUrl].filter((u): u is string => u !== undefined);
  if (baseURLs.length === 0) {
    throw new ConfigError(
      `${spec.model_name}: no base URL for backend '${backendName}'. Set "base_url" in the model entry ` +
        `or in key.json under "${backendName}" (e.g. "http://127.0.0.1:8000/v1" for a local vLLM server).`,
    );
  }
  if (baseURLs.some(hasCredentials)) {
    throw new ConfigError(
      `${spec.model_name}: the base URL for backend '${backendName}' contains a user name or password, which is never sent. ` +
        `Put the key in key.json under "${backendName}".api_key or in ${envVarHint(backendName)} instead.`,
    );
  }
  const isHosted = prof.defaultBaseUrl !== undefined && baseURLs.some((u) => u.replace(/\/+$/, '') === prof.defaultBaseUrl);
  const apiKey = entry?.api_key;
  if (!apiKey && (isHosted || mc.requires_api_key === true || (prof.requiresKey === true && mc.requires_api_key !== false))) {
    throw new ConfigError(
      `${spec.model_name}: no API key for backend '${backendName}'. Set ${envVarHint(backendName)} or add ` +
        `{"${backendName}": {"api_key": "..."}} to key.json.`,
    );
  }
  const baseModel = spec.model_id ?? spec.model_name;
  const isReasoningModel = mc.reasoning_model === true;
  const http = mc.http ?? {};
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    modelName: spec.model_name,
    backendName,
    profile: prof,
    requestModel: mc.peft_model ? (mc.lora_name ?? adapterName(mc.peft_model)) : baseModel,
    baseURLs,
    apiKey: apiKey || PLACEHOLDER_KEY,
    keySource: apiKey ? (entry?.source ?? null) : null,
    organization: entry?.organisation ?? entry?.organization ?? null,
    timeoutMs: http.timeout_ms ?? mc.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    keepAlive: http.keep_alive ?? true,
    headers,
    apiKeyHeader: http.api_key_header?.toLowerCase() ?? prof.apiKeyHeader ?? 'authorization',
    maxTokensField:
      mc.max_tokens_field ?? (baseURLs.every((u) => prefersMaxCompletionTokens(u, isReasoningModel)) ? 'max_completion_tokens' : 'max_tokens'),
    isReasoningModel,
    extraBody: mc.extra_body ?? {},
  };
}

/** The headers every request of this model carries: extra headers, the key, the organisation. Never logged. */
export function requestHeaders(config: OpenAIConfig): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...config.headers };
  if (config.apiKeyHeader === 'authorization') out.authorization = `Bearer ${config.apiKey}`;
  else if (config.apiKeyHeader) out[config.apiKeyHeader] = config.apiKey;
  if (config.organization) out['openai-organization'] = config.organization;
  return out;
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
    return false; // an unparsable URL fails at the first request, with the transport's message
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
