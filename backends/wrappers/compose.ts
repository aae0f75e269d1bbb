import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import { withLimit, type LimitOptions } from './limit.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface ComposeOptions extends LimitOptions {
  /** Retry options, or false for no retries. Default: withRetry's defaults. */
  retry?: RetryOptions | false;
}

/**
 * Wraps a backend once, where the model is created: `withRetry(withLimit(inner))`. Retry sits outside the
 * limit so a call waiting out its backoff holds no concurrency slot. Programmatic backends
 * (`isProgrammatic`) are returned unchanged: they need neither limits nor retries.
 */
export function composeBackend(inner: Backend, options: ComposeOptions = {}): Backend {
  if (inner.isProgrammatic) return inner;
  const { retry, ...limits } = options;
  const limited = withLimit(limits)(inner);
  return retry === false ? limited : withRetry(retry ?? {})(limited);
}

/** The limits a registry entry asks for (`max_concurrency`, `requests_per_minute`), as ComposeOptions. */
export function limitsFromSpec(spec: ModelSpec): Pick<ComposeOptions, 'maxConcurrency' | 'requestsPerMinute'> {
  const out: Pick<ComposeOptions, 'maxConcurrency' | 'requestsPerMinute'> = {};
  if (spec.max_concurrency !== undefined) out.maxConcurrency = spec.max_concurrency;
  if (spec.requests_per_minute !== undefined) out.requestsPerMinute = spec.requests_per_minute;
  return out;
}
