import { z } from 'zod';
import { BackendError } from '../../base/errors.js';
import { maskKey } from '../../registry/keys.js';
import { contextExceededFromMessage } from '../context.js';
import type { HttpResponse } from '../http/index.js';
import { envVarHint, PLACEHOLDER_KEY, type OpenAIConfig } from './config.js';

/** What the backend knows about the failed call, for the message. */
export interface CallContext {
  config: OpenAIConfig;
  /** Printable URL (no key, no query). */
  url: string;
  /** Wall clock in ms since the epoch, for Retry-After HTTP dates. */
  wallClockMs: number;
}

/**
 * An HTTP error status as a BackendError that says what failed, where and what to do next: 429 and 5xx are
 * retryable, other statuses are not. A refusal that says the prompt is longer than the model's context
 * becomes a ContextExceededError (never retried: the same prompt fails again).
 */
export function statusToError(res: HttpResponse, ctx: CallContext): Error {
  const { config, url } = ctx;
  const status = res.status;
  const detail = serverMessage(res.body);
  const make = (retryable: boolean, message: string, retryAfterMs?: number): BackendError =>
    new BackendError(config.modelName, status, retryable, scrub(message, config.apiKey), retryAfterMs !== undefined ? { retryAfterMs } : undefined);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers, ctx.wallClockMs) ?? retryDelayInBody(res.body);
    const wait = retryAfterMs !== undefined ? ` Retry-After: ${formatSeconds(retryAfterMs)}.` : '';
    return make(
      true,
      `HTTP 429 (rate limited) from ${url}: ${detail}.${wait} If it persists, lower max_concurrency or requests_per_minute for this model in model_registry.json.`,
      retryAfterMs,
    );
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers, ctx.wallClockMs);
    return make(true, `HTTP ${status} (server error) from ${url}: ${detail}. The server failed; the request can be retried.`, retryAfterMs);
  }
  if (status === 401) return make(false, `HTTP 401 (unauthorized) from ${url}: ${detail}. Check the API key for backend '${config.backendName}' (${keyWhere(config)}).`);
  if (status === 403) {
    return make(
      false,
      `HTTP 403 (forbidden) from ${url}: ${detail}. The key for backend '${config.backendName}' (${keyWhere(config)}) may not give access to model '${config.requestModel}'.`,
    );
  }
  if (status === 404) {
    return make(
      false,
      `HTTP 404 (not found) from ${url}: ${detail}. Check that model '${config.requestModel}' is served at this base URL (model_id, base_url, or the LoRA adapter's served name).`,
    );
  }
  const overflow = contextExceededFromMessage(config.modelName, `${detail} ${res.body.slice(0, 2000)}`, `HTTP ${status} from ${url}: ${detail}`);
  if (overflow) return overflow;
  return make(false, `HTTP ${status} from ${url}: ${detail}. The server refused the request; check the generation arguments and model_config.extra_body.`);
}

/** A failure below HTTP (refused, reset, timed out, unresolvable host) as a retryable BackendError (DNS: not retryable). */
export function transportToError(e: unknown, ctx: CallContext): BackendError {
  const { config, url } = ctx;
  const make = (retryable: boolean, message: string): BackendError =>
    new BackendError(config.modelName, undefined, retryable, scrub(message, config.apiKey), { cause: e });
  const code = errorCode(e);
  if (code === 'ETIMEDOUT' && e instanceof Error && e.name === 'RequestTimeoutError') {
    return make(true, `no reply from ${url} within ${config.timeoutMs} ms. Raise model_config.http.timeout_ms, or lower max_concurrency if the server is overloaded.`);
  }
  if (code === 'ECONNREFUSED') return make(true, `cannot connect to ${url} (ECONNREFUSED). Is the server running, and is base_url right?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return make(code === 'EAI_AGAIN', `cannot resolve the host of ${url} (${code}). Check base_url.`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return make(true, `connection to ${url} closed before a reply (${code}). The server may have crashed or restarted; the request can be retried.`);
  }
  if (e instanceof TypeError && code === undefined && /invalid url/i.test(e.message)) return make(false, `invalid base URL: ${e.message}`);
  return make(true, `connection to ${url} failed (${code ?? causeMessage(e)}). The request can be retried.`);
}

/** A reply body that is not JSON: retryable (proxies and overloaded servers send these). */
export function malformedJsonError(ctx: CallContext, raw: string, cause: unknown): BackendError {
  const head = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return new BackendError(
    ctx.config.modelName,
    200,
    true,
    scrub(`malformed JSON in the reply from ${ctx.url} (${causeMessage(cause)}); the body starts: ${JSON.stringify(head)}`, ctx.config.apiKey),
    { cause },
  );
}

const InBodyErrorSchema = z.looseObject({
  error: z.looseObject({ message: z.string().optional(), code: z.union([z.number(), z.string()]).nullish() }),
});

/** OpenRouter and some proxies answer 200 with `{"error": {...}}` and no choices; returns that error or null. */
export function errorInBody(json: unknown): { message: string; code: number | undefined } | null {
  const parsed = InBodyErrorSchema.safeParse(json);
  if (!parsed.success || 'choices' in parsed.data) return null;
  const code = Number(parsed.data.error.code);
  return { message: parsed.data.error.message ?? JSON.stringify(parsed.data.error), code: Number.isInteger(code) && code >= 100 ? code : undefined };
}

/** An error reported inside a 200 body: retryable unless its code is a 4xx other than 429. */
export function inBodyErrorToBackendError(config: OpenAIConfig, url: string, error: { message: string; code: number | undefined }): Error {
  const code = error.code;
  const retryable = code === undefined || code === 429 || code >= 500;
  const status = code ?? 200;
  const detail = oneLine(error.message).replace(/\.$/, '').slice(0, 300);
  if (!retryable) {
    const overflow = contextExceededFromMessage(config.modelName, detail, `error in the reply from ${url}: ${detail}`);
    if (overflow) return overflow;
  }
  const next = retryable ? 'The request can be retried.' : 'The server refused the request; check the generation arguments and model_config.extra_body.';
  return new BackendError(config.modelName, status, retryable, scrub(`error in the reply from ${url}${code !== undefined ? ` (code ${code})` : ''}: ${detail}. ${next}`, config.apiKey));
}

/** Google's RetryInfo in an error body (`"retryDelay": "7s"`), which it sends instead of a Retry-After header; ms. */
function retryDelayInBody(body: string): number | undefined {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** Retry-After in ms: `retry-after-ms`, else `retry-after` as seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(headers: Headers | Readonly<Record<string, string>> | undefined, wallClockMs: number): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | null => (headers instanceof Headers ? headers.get(name) : (headers[name] ?? null));
  const ms = get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallClockMs);
}

/** The server's own message from an error body of any common shape; a raw (HTML) body cut short on one line. */
export function serverMessage(body: string): string {
  let text = body;
  try {
    text = messageOf(JSON.parse(body)) ?? body;
  } catch {
    // not JSON: quote the body itself (a proxy's HTML page)
  }
  const line = oneLine(text).replace(/\.$/, '');
  if (line === '') return 'no message';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * The message in an error body: `{"error": {"message"}}` (OpenAI, vLLM, llama.cpp, OpenRouter, Anthropic),
 * `{"error": "…"}` (TGI), `{"message"}` (Mistral, Cohere), `{"detail"}` (FastAPI servers), or Google's
 * OpenAI-compatible endpoint's list `[{"error": {"message"}}]`.
 */
function messageOf(json: unknown): string | undefined {
  const v = Array.isArray(json) ? (json[0] as unknown) : json;
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const err = o.error;
  if (typeof err === 'string') return err;
  if (err !== null && typeof err === 'object' && typeof (err as Record<string, unknown>).message === 'string') return (err as Record<string, string>).message;
  if (typeof o.message === 'string') return o.message;
  if (typeof o.detail === 'string') return o.detail;
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function keyWhere(config: OpenAIConfig): string {
  if (config.keySource) return `the key in use came from ${config.keySource}`;
  return `no key was found: set ${envVarHint(config.backendName)} or "${config.backendName}": {"api_key": ...} in key.json`;
}

/** The first `code` along the cause chain (undici nests the socket error two levels down). */
function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Object; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessage(e: unknown): string {
  let cur: unknown = e;
  let last = e instanceof Error ? e.message : String(e);
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    last = cur.message;
    cur = cur.cause;
  }
  return last;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Replaces the key, should a server echo it, by its masked form. */
export function scrub(message: string, key: string): string {
  if (key === PLACEHOLDER_KEY || key.length < 4) return message;
  return message.split(key).join(maskKey(key));
}
