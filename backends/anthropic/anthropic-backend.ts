import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { BackendError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, BackendCapabilities, GenerateRequest, GenerateResult } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { withGenerationDefaults } from '../generation-defaults.js';
import { createFetchTransport, createNodeTransport, errorBodyOf, joinUrl } from '../http/index.js';
import { costUsd, printableUrl, resolveOpenAIConfig, statusToError, transportToError, type CallContext, type OpenAIConfig, type ProviderProfile } from '../openai/index.js';
import { buildMessagesBody } from './request.js';
import { AnthropicMessageSchema, toChoice, toUsage } from './response.js';

/**
 * Anthropic's Messages API through the official SDK (@anthropic-ai/sdk). Chosen over Anthropic's
 * OpenAI-compatible endpoint, which Anthropic describes as meant for testing rather than production and which
 * does not return thinking blocks; the SDK keeps the native format (system prompt, stop reasons, prompt-cache
 * token counts, extended thinking as clemcore's thinking_mode uses it). It runs over clem-ts's own transport
 * (its fetch over the pooled node:http client), so model_config.http, max_concurrency sockets and timeouts
 * apply as for every API backend; its retries are off (withRetry retries). Key: ANTHROPIC_API_KEY, else
 * key.json "anthropic". Base URL: https://api.anthropic.com unless the entry or key.json gives one.
 */
export const ANTHROPIC_PROFILE: ProviderProfile = { label: 'Anthropic', defaultBaseUrl: 'https://api.anthropic.com', chatPath: 'v1/messages' };

export const ANTHROPIC_CAPABILITIES: BackendCapabilities = { score: false, logprobs: false, n: false, seed: false, batching: false };

export function createAnthropicBackend(spec: ModelSpec, deps: BackendDeps): Backend {
  const config = resolveOpenAIConfig(spec, deps.keys, 'anthropic', ANTHROPIC_PROFILE);
  const baseURL = config.baseURLs[0] as string;
  const transportOptions = {
    keepAlive: config.keepAlive,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    ...(spec.max_concurrency !== undefined ? { maxSockets: spec.max_concurrency } : {}),
  };
  const transport = deps.fetch ? createFetchTransport(deps.fetch, transportOptions) : createNodeTransport(transportOptions);
  const client = new Anthropic({
    apiKey: config.apiKey,
    // Explicit values so the SDK reads nothing from the environment or config files.
    authToken: null,
    webhookKey: null,
    baseURL: baseURL.replace(/\/v1\/?$/, ''),
    maxRetries: 0,
    timeout: config.timeoutMs + 1_000,
    fetch: transport.fetch,
  });
  const url = printableUrl(joinUrl(baseURL.replace(/\/v1\/?$/, ''), ANTHROPIC_PROFILE.chatPath));
  const now = deps.now ?? (() => performance.now());
  const thinking = spec.model_config?.thinking_mode !== undefined && spec.model_config.thinking_mode !== false;
  return {
    name: spec.model_name,
    capabilities: ANTHROPIC_CAPABILITIES,
    generate: (request, signal) => generate({ client, config, spec, url, now, thinking }, request, signal),
    close: async () => transport.close(),
  };
}

interface State {
  client: Anthropic;
  config: OpenAIConfig;
  spec: ModelSpec;
  url: string;
  now: () => number;
  thinking: boolean;
}

async function generate(s: State, request: GenerateRequest, signal: AbortSignal | undefined): Promise<GenerateResult> {
  signal?.throwIfAborted();
  const { config, url } = s;
  const args = withGenerationDefaults(s.spec, request.args);
  const { body, warnings } = buildMessagesBody(config.requestModel, request.messages, args, { thinking: s.thinking, extraBody: config.extraBody });
  const ctx: CallContext = { config, url, wallClockMs: Date.now() };
  const started = s.now();
  let raw: unknown;
  try {
    raw = await s.client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, { ...(signal ? { signal } : {}) });
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw toError(e, { ...ctx, wallClockMs: Date.now() });
  }
  const latencyMs = s.now() - started;
  const parsed = AnthropicMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BackendError(config.modelName, 200, true, `unexpected reply from ${url}: ${issues}`, { cause: parsed.error });
  }
  const usage = toUsage(parsed.data);
  if (!usage) warnings.push('the server reported no usage; token counts are recorded as 0');
  return {
    choices: [toChoice(parsed.data)],
    usage: usage ?? { inputTokens: 0, outputTokens: 0 },
    latencyMs,
    call: { request: body, response: JSON.parse(JSON.stringify(raw)) as unknown },
    warnings,
    costUsd: s.spec.pricing && usage ? costUsd(s.spec.pricing, usage) : null,
  };
}

/** The SDK's errors onto the shared mapping: an HTTP status with Anthropic's error body, or a transport failure. */
function toError(e: unknown, ctx: CallContext): Error {
  if (e instanceof APIError && typeof e.status === 'number') {
    const headers: Record<string, string> = {};
    new Headers(e.headers as HeadersInit | undefined).forEach((value, key) => {
      headers[key] = value;
    });
    // The whole body as the server sent it (the SDK keeps only its parsed JSON), from the buffered response.
    const body = errorBodyOf(e.headers) ?? JSON.stringify(e.error ?? { error: { message: e.message } });
    return statusToError({ status: e.status, headers, body }, ctx);
  }
  if (e instanceof APIConnectionError) return transportToError(e.cause ?? e, ctx);
  return transportToError(e, ctx);
}
