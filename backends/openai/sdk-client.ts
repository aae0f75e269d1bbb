import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { errorBodyOf, RequestTimeoutError, type HttpTransport } from '../http/index.js';
import type { OpenAIConfig } from './config.js';
import { statusToError, transportToError, type CallContext } from './errors.js';

/**
 * The openai SDK's client for one base URL, calling through the model's transport (`transport.fetch`: the
 * pooled node:http client under a buffered Response, see backends/http/buffered-fetch.ts), so
 * `max_concurrency` sockets, keep-alive, the timeout and `model_config.http` apply as for every API backend.
 *
 * - Every option the SDK would read from the environment (OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_LOG, …) is
 *   given explicitly; only OPENAI_CUSTOM_HEADERS, which the SDK always honours, still adds headers.
 * - A base URL's query (Azure's `?api-version=…`) travels as the SDK's default query, which it appends to
 *   every path.
 * - `model_config.http.headers` are default headers (they win over the SDK's own, e.g. User-Agent);
 *   `api_key_header` sends the key in that header and no Authorization header.
 * - The SDK's retries are off (withRetry retries) and its timeout is a second later than the transport's,
 *   so the transport's RequestTimeoutError is the one seen.
 */
export function createSdkClient(config: OpenAIConfig, baseURL: string, transport: HttpTransport): OpenAI {
  const { base, query } = splitQuery(baseURL);
  const defaultHeaders: Record<string, string | null> = { ...config.headers };
  if (config.apiKeyHeader !== 'authorization') {
    defaultHeaders.authorization = null;
    if (config.apiKeyHeader) defaultHeaders[config.apiKeyHeader] = config.apiKey;
  }
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: base,
    ...(query ? { defaultQuery: query } : {}),
    defaultHeaders,
    organization: config.organization,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: config.timeoutMs + 1_000,
    logLevel: 'off',
    fetch: transport.fetch,
  });
}

/**
 * An error the SDK threw as a BackendError (or ContextExceededError) through the shared mapping: an HTTP status
 * with the server's whole body (recovered from the buffered response, so every provider's body shape is
 * read, not only OpenAI's `{"error": …}`), or a transport failure (refused, reset, the transport's timeout).
 */
export function sdkErrorToBackendError(e: unknown, ctx: CallContext): Error {
  if (e instanceof APIError && typeof e.status === 'number') {
    const headers: Record<string, string> = {};
    if (e.headers instanceof Headers)
      e.headers.forEach((value, key) => {
        headers[key] = value;
      });
    const body = errorBodyOf(e.headers) ?? JSON.stringify(e.error !== undefined ? { error: e.error } : { error: { message: e.message } });
    return statusToError({ status: e.status, headers, body }, ctx);
  }
  // The SDK classes any failure whose text says "timeout" as its own timeout, dropping the cause: either way
  // no reply came within the model's timeout (the transport's, or the SDK's a second later).
  if (e instanceof APIConnectionTimeoutError) return transportToError(new RequestTimeoutError(ctx.config.timeoutMs), ctx);
  if (e instanceof APIConnectionError) return transportToError(e.cause ?? e, ctx);
  return transportToError(e, ctx);
}

/** A base URL without its query, and the query as parameters (undefined when there is none). */
export function splitQuery(baseURL: string): { base: string; query: Record<string, string> | undefined } {
  const q = baseURL.indexOf('?');
  if (q < 0) return { base: baseURL, query: undefined };
  return { base: baseURL.slice(0, q), query: Object.fromEntries(new URLSearchParams(baseURL.slice(q + 1))) };
}
