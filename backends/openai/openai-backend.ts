import type OpenAI from 'openai';
import { BackendError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { callSignal } from '../abortable.js';
import type { Backend, BackendCapabilities, GenerateRequest, GenerateResult } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { withGenerationDefaults } from '../generation-defaults.js';
import { createFetchTransport, createNodeTransport, joinUrl } from '../http/index.js';
import { printableUrl, resolveOpenAIConfig, type OpenAIConfig } from './config.js';
import { errorInBody, inBodyErrorToBackendError, malformedJsonError, type CallContext } from './errors.js';
import type { ProviderProfile } from './profile.js';
import { buildChatBody } from './request.js';
import { ChatCompletionSchema, normaliseChoices, normaliseUsage } from './response.js';
import { createOpenAIScore, scoreUnsupportedError } from './score.js';
import { createSdkClient, sdkErrorToBackendError } from './sdk-client.js';

/** Backend names (model_registry.json `backend`) this factory serves. */
export const OPENAI_BACKEND_NAMES = ['openai', 'openai_compatible', 'openrouter', 'vllm', 'ollama'] as const;

export const OPENAI_CAPABILITIES: BackendCapabilities = { score: false, logprobs: true, n: true, seed: true, batching: false };

export interface OpenAIBackendOptions {
  /** The key.json entry to read (default: `vllm` and `ollama` read `openai_compatible`, others their own name). */
  keyName?: string;
  /** The provider's defaults and spellings (google, mistral, cohere); default: OpenAI's or OpenRouter's by key name, else a generic server. */
  profile?: ProviderProfile;
}

/**
 * A Backend for OpenAI's API and every server that speaks its chat-completions format (vLLM, llama.cpp,
 * Ollama, OpenRouter, and the Google, Mistral and Cohere endpoints through their profiles).
 *
 * - Base URL: `spec.base_url`, else key.json's `base_url` for the key name,
 *   else the profile's hosted default. Key: `deps.keys.get(keyName)`; servers without auth get a placeholder.
 * - Sends `spec.model_id ?? spec.model_name`, or the LoRA adapter's served name when `model_config.peft_model`
 *   is set (`model_config.lora_name`, else the adapter folder's basename).
 * - Calls through the `openai` SDK (`client.post` of the profile's chat path; its errors carry the status),
 *   whose fetch is a pooled node:http transport (backends/http) under a buffered Response: at most
 *   `spec.max_concurrency` sockets, `model_config.http` headers, keep-alive and timeout (default 120 s). With
 *   `deps.fetch` the transport calls through that fetch instead. (The SDK on the global fetch costs about 0.4 ms
 *   of main-thread CPU per call, on this transport about 0.15 ms: bench p1 prints both.)
 * - Never retries (that is `withRetry`'s job), honours the caller's AbortSignal (rejects with its reason).
 * - Failures reject with BackendError (see errors.ts for which are retryable), or ContextExceededError when the
 *   server says the prompt is longer than the context. The key never appears in `call`, warnings or messages.
 * - A reply longer than the requested limit (a server ignoring the token-limit field) carries a warning, and
 *   `deps.onWarning` hears about it once per backend.
 *
 * Throws ConfigError at creation when no base URL or (for hosted APIs) no key is found. Makes no request
 * until `generate` is called.
 */
export function createOpenAIBackend(spec: ModelSpec, deps: BackendDeps, options: OpenAIBackendOptions = {}): Backend {
  const config = resolveOpenAIConfig(spec, deps.keys, options.keyName, options.profile);
  // An entry with several base URLs is split into one backend per replica by createBackend.
  const baseURL = config.baseURLs[0] as string;
  const transportOptions = {
    keepAlive: config.keepAlive,
    timeoutMs: config.timeoutMs,
    ...(spec.max_concurrency !== undefined ? { maxSockets: spec.max_concurrency } : {}),
  };
  const transport = deps.fetch ? createFetchTransport(deps.fetch, transportOptions) : createNodeTransport(transportOptions);
  const call: CallState = {
    config,
    spec,
    client: createSdkClient(config, baseURL, transport),
    path: `/${config.profile.chatPath.replace(/^\/+/, '')}`,
    url: printableUrl(joinUrl(baseURL, config.profile.chatPath)),
    now: deps.now ?? (() => performance.now()),
    warnOnce: onceWarner(deps.onWarning),
  };
  // score(): vLLM servers only (see score.ts); elsewhere it says which servers can.
  const score = createOpenAIScore(spec, config, transport);
  return {
    name: spec.model_name,
    capabilities: { ...OPENAI_CAPABILITIES, score: score !== null },
    generate: (request, signal) => generate(call, request, signal),
    score: score ?? (async () => Promise.reject(scoreUnsupportedError(spec))),
    close: async () => transport.close(),
  };
}

interface CallState {
  config: OpenAIConfig;
  spec: ModelSpec;
  client: OpenAI;
  /** The chat path, appended by the SDK to the base URL (its query kept). */
  path: string;
  /** Printable URL for messages (no key, no query). */
  url: string;
  now: () => number;
  warnOnce: (key: string, message: string) => void;
}

async function generate(s: CallState, request: GenerateRequest, signal: AbortSignal | undefined): Promise<GenerateResult> {
  signal?.throwIfAborted();
  const { config, url } = s;
  const args = withGenerationDefaults(s.spec, request.args);
  const { body, warnings } = buildChatBody(config, request.messages, args);
  const ctx: CallContext = { config, url, wallClockMs: Date.now() };
  const started = s.now();
  let raw: string;
  const linked = callSignal(signal);
  try {
    // asResponse(): the body is read and parsed here, so malformed JSON and odd shapes get clem-ts's errors.
    const response = await s.client.post(s.path, { body, ...(linked.signal ? { signal: linked.signal } : {}) }).asResponse();
    raw = await response.text();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw sdkErrorToBackendError(e, { ...ctx, wallClockMs: Date.now() });
  } finally {
    linked.done();
  }
  const latencyMs = s.now() - started;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw malformedJsonError(ctx, raw, e);
  }
  const inBodyError = errorInBody(json);
  if (inBodyError) throw inBodyErrorToBackendError(config, url, inBodyError);
  const parsed = ChatCompletionSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BackendError(config.modelName, 200, true, `unexpected reply from ${url}: ${issues}`, { cause: parsed.error });
  }
  const completion = parsed.data;
  if (completion.choices.length === 0) {
    throw new BackendError(config.modelName, 200, true, `reply from ${url} has no choices (empty "choices" array); the request can be retried.`);
  }
  const choices = normaliseChoices(completion);
  const wanted = typeof body.n === 'number' ? body.n : 1;
  if (choices.length < wanted) warnings.push(`asked for ${wanted} choices, the server returned ${choices.length}`);
  const usage = normaliseUsage(completion);
  if (!usage) warnings.push('the server reported no usage; token counts are recorded as 0');
  const usageOrZero = usage ?? { inputTokens: 0, outputTokens: 0 };
  if (args.maxTokens !== undefined && usageOrZero.outputTokens > args.maxTokens * choices.length) {
    const field = config.maxTokensField;
    const message =
      `the reply has ${usageOrZero.outputTokens} tokens, more than the limit of ${args.maxTokens} sent as "${field}": the server ignores that field. ` +
      `Set model_config.max_tokens_field to "${field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens'}" for ${config.modelName}.`;
    warnings.push(message);
    s.warnOnce('token-limit', `${config.modelName}: ${message}`);
  }
  return {
    choices,
    usage: usageOrZero,
    latencyMs,
    call: { request: body, response: json },
    warnings,
    costUsd: s.spec.pricing && usage ? costUsd(s.spec.pricing, usage) : null,
  };
}

/** Calls `onWarning` once per key for the life of the backend. */
export function onceWarner(onWarning: ((message: string) => void) | undefined): (key: string, message: string) => void {
  const said = new Set<string>();
  return (key, message) => {
    if (!onWarning || said.has(key)) return;
    said.add(key);
    onWarning(message);
  };
}

/** US dollars for a call's usage at the registry's prices. */
export function costUsd(pricing: NonNullable<ModelSpec['pricing']>, usage: { inputTokens: number; outputTokens: number }): number {
  return (usage.inputTokens * pricing.input_per_mtok + usage.outputTokens * pricing.output_per_mtok) / 1_000_000;
}
