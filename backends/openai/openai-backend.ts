import OpenAI from 'openai';
import { BackendError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, BackendCapabilities, GenerateRequest, GenerateResult } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { withGenerationDefaults } from '../generation-defaults.js';
import { printableUrl, resolveOpenAIConfig, type OpenAIConfig } from './config.js';
import { errorInBody, inBodyErrorToBackendError, malformedJsonError, toBackendError, type CallContext } from './errors.js';
import { buildChatBody } from './request.js';
import { ChatCompletionSchema, normaliseChoices, normaliseUsage } from './response.js';
import { createOpenAIScore, scoreUnsupportedError } from './score.js';

/** Backend names (model_registry.json `backend`) this factory serves. */
export const OPENAI_BACKEND_NAMES = ['openai', 'openai_compatible', 'openrouter', 'vllm', 'ollama'] as const;

export const OPENAI_CAPABILITIES: BackendCapabilities = { score: false, logprobs: true, n: true, seed: true, batching: false };

export interface OpenAIBackendOptions {
  /** The key.json entry to read (default: `vllm` and `ollama` read `openai_compatible`, others their own name). */
  keyName?: string;
}

/**
 * A Backend for OpenAI's API and any OpenAI-compatible server (vLLM, llama.cpp, Ollama, OpenRouter …).
 *
 * - Base URL: `spec.base_url`, else key.json's `base_url` for the key name, else the hosted default
 *   (openai, openrouter). Key: `deps.keys.get(keyName)`; servers without auth get a placeholder.
 * - Sends `spec.model_id ?? spec.model_name`, or the LoRA adapter's served name when `model_config.peft_model`
 *   is set (`model_config.lora_name`, else the adapter folder's basename).
 * - Never retries (the SDK's retries are off; retrying is `withRetry`'s job). Each call has a timeout
 *   (`model_config.timeout_ms`, default 120 s) and honours the caller's AbortSignal: when the caller aborts,
 *   the call rejects with the signal's reason, not a BackendError.
 * - Failures reject with BackendError (see errors.ts for which are retryable). The key never appears in
 *   `call`, warnings or messages.
 *
 * Throws ConfigError at creation when no base URL or (for hosted APIs) no key is found. Makes no request
 * until `generate` is called.
 */
export function createOpenAIBackend(spec: ModelSpec, deps: BackendDeps, options: OpenAIBackendOptions = {}): Backend {
  const config = resolveOpenAIConfig(spec, deps.keys, options.keyName);
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    // Explicit values so the SDK does not read OPENAI_* variables from the environment.
    organization: config.organization,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    // Our own timeout signal covers the whole call; the SDK's only guards against a stuck connection.
    timeout: config.timeoutMs + 1_000,
    logLevel: 'off',
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const now = deps.now ?? (() => performance.now());
  const url = printableUrl(`${config.baseURL.replace(/\/+$/, '')}/chat/completions`);

  // score(): vLLM servers only (see score.ts); elsewhere it says which servers can.
  const score = createOpenAIScore(spec, config, client);
  return {
    name: spec.model_name,
    capabilities: { ...OPENAI_CAPABILITIES, score: score !== null },
    generate: (request, signal) => generate(client, config, spec, url, now, request, signal),
    score: score ?? (async () => Promise.reject(scoreUnsupportedError(spec))),
    close: async () => {},
  };
}

async function generate(
  client: OpenAI,
  config: OpenAIConfig,
  spec: ModelSpec,
  url: string,
  now: () => number,
  request: GenerateRequest,
  signal: AbortSignal | undefined,
): Promise<GenerateResult> {
  signal?.throwIfAborted();
  const { body, warnings } = buildChatBody(config, request.messages, withGenerationDefaults(spec, request.args));
  const ctx: CallContext = { config, url, wallClockMs: Date.now() };
  // One controller per call for the timeout and the caller's signal. (Not AbortSignal.any: a run-wide
  // signal would keep a dependant per call alive, and older Node 20 releases leaked them.)
  const call = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    call.abort();
  }, config.timeoutMs);
  const onCallerAbort = (): void => call.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const started = now();
  let raw: string;
  try {
    // asResponse(): we read and parse the body ourselves, so malformed JSON and odd shapes get our errors.
    const params = body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const response = await client.chat.completions.create(params, { signal: call.signal }).asResponse();
    raw = await response.text();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (timedOut) throw new BackendError(config.modelName, undefined, true, timeoutMessage(config, url), { cause: e });
    throw toBackendError(e, { ...ctx, wallClockMs: Date.now() });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
  const latencyMs = now() - started;

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
  return {
    choices,
    usage: usageOrZero,
    latencyMs,
    call: { request: body, response: json },
    warnings,
    costUsd: spec.pricing && usage ? costUsd(spec.pricing, usage) : null,
  };
}

function timeoutMessage(config: OpenAIConfig, url: string): string {
  return `no reply from ${url} within ${config.timeoutMs} ms. Raise model_config.timeout_ms, or lower max_concurrency if the server is overloaded.`;
}

function costUsd(pricing: NonNullable<ModelSpec['pricing']>, usage: { inputTokens: number; outputTokens: number }): number {
  return (usage.inputTokens * pricing.input_per_mtok + usage.outputTokens * pricing.output_per_mtok) / 1_000_000;
}
