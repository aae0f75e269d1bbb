import { baseUrlsOf, type ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import type { CacheOptions } from './cache.js';
import { withLimit, type LimitOptions } from './limit.js';
import { withOutageWait, type OutageOptions, type OutageStatus } from './outage.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface ComposeOptions extends LimitOptions {
  /** Retry options, or false for no retries. Default: withRetry's defaults. */
  retry?: RetryOptions | false;
  /** Outage waiting (withOutageWait), or false to fail calls while the server is down. Default: on, 10 minutes per run. */
  outage?: OutageOptions | false;
  /** Hears a model's server going down and coming back (the CLI shows it on the progress line). */
  onStatus?: (status: OutageStatus) => void;
  /** Hears warnings the user should see once per model (see BackendDeps.onWarning). */
  onWarning?: (message: string) => void;
  /** A response cache on disk (createModel applies it outermost; see wrappers/cache.ts). Default: none. */
  cache?: CacheOptions;
}

/**
 * Wraps a backend once, where the model is created: `withRetry(withOutageWait(withLimit(inner)))`. Retry and
 * outage waiting sit outside the limit, so a call waiting out its backoff or an outage holds no concurrency
 * slot. Programmatic backends (`isProgrammatic`) are returned unchanged: they need neither limits nor retries.
 */
export function composeBackend(inner: Backend, options: ComposeOptions = {}): Backend {
  if (inner.isProgrammatic) return inner;
  const { retry, outage, onStatus, onWarning: _onWarning, cache: _cache, ...limits } = options;
  let backend = withLimit(limits)(inner);
  if (outage !== false) backend = withOutageWait({ ...(onStatus ? { onStatus } : {}), ...outage })(backend);
  return retry === false ? backend : withRetry(retry ?? {})(backend);
}

/**
 * The limits a registry entry asks for, as ComposeOptions: `max_concurrency` per base URL (so the model's limit
 * is max_concurrency × replicas) and `requests_per_minute` for the model.
 */
export function limitsFromSpec(spec: ModelSpec): Pick<ComposeOptions, 'maxConcurrency' | 'requestsPerMinute'> {
  const out: Pick<ComposeOptions, 'maxConcurrency' | 'requestsPerMinute'> = {};
  if (spec.max_concurrency !== undefined) out.maxConcurrency = spec.max_concurrency * Math.max(1, baseUrlsOf(spec).length);
  if (spec.requests_per_minute !== undefined) out.requestsPerMinute = spec.requests_per_minute;
  return out;
}
