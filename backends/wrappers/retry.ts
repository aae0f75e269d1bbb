import { BackendError, hasCode } from '../../base/errors.js';
import type { BackendWrapper } from '../backend.js';
import { realSleep, type Sleep } from './sleep.js';
import { wrapCalls } from './wrap-calls.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Backoff base: after failed attempt k (1-based) the wait is random · min(maxDelayMs, baseDelayMs · 2^(k−1)). Default 1000. */
  baseDelayMs?: number;
  /** Ceiling of the exponential backoff. Default 30 000. */
  maxDelayMs?: number;
  /** Ceiling on a server's Retry-After; a longer one is waited only this long. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Injected for tests. */
  sleep?: Sleep;
  /** Uniform in [0, 1); injected for tests. */
  random?: () => number;
}

/** One failed attempt, as listed in the final error. */
export interface AttemptFailure {
  attempt: number;
  status: number | undefined;
  message: string;
  /** How long the wrapper waited after this attempt (ms), or null after the last one. */
  waitedMs: number | null;
}

/** The error `withRetry` rejects with after more than one attempt: a BackendError that lists every attempt. */
export class RetriesExhaustedError extends BackendError {
  constructor(
    model: string,
    readonly attempts: readonly AttemptFailure[],
    last: BackendError,
  ) {
    const lines = attempts.map((a) => `  attempt ${a.attempt}: ${a.status === undefined ? 'no status' : `HTTP ${a.status}`}: ${a.message}`);
    const why = last.retryable ? `gave up after ${attempts.length} attempts` : `failed after ${attempts.length} attempts (the last error is not retryable)`;
    super(model, last.status, last.retryable, `${why}:\n${lines.join('\n')}`, { cause: last });
  }
}

/**
 * Retries retryable BackendErrors with exponential backoff and full jitter (after failed attempt k, wait
 * random · min(maxDelay, base · 2^(k−1))), or the server's Retry-After when given (up to `maxRetryAfterMs`), for at most
 * `maxAttempts` attempts. Anything else (non-retryable BackendErrors, other errors, the caller's abort)
 * passes through at once. A failure after more than one attempt is a RetriesExhaustedError listing every
 * attempt. Aborting the signal during a backoff wait rejects with the signal's reason.
 */
export function withRetry(options: RetryOptions = {}): BackendWrapper {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;

  const delayFor = (attempt: number, error: BackendError): number => {
    if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, maxRetryAfterMs);
    return random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  };

  return (inner) => {
    const run = async <T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
      const failures: AttemptFailure[] = [];
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (e) {
          if (!isBackendError(e) || signal?.aborted) throw e;
          const isLast = !e.retryable || attempt >= maxAttempts;
          const waitMs = isLast ? null : delayFor(attempt, e);
          failures.push({ attempt, status: e.status, message: withoutModel(e), waitedMs: waitMs });
          if (waitMs === null) {
            if (failures.length === 1) throw e;
            throw new RetriesExhaustedError(inner.name, failures, e);
          }
          await sleep(waitMs, signal);
        }
      }
    };
    return wrapCalls(inner, run);
  };
}

function isBackendError(e: unknown): e is BackendError {
  return hasCode(e, 'backend_error') && typeof (e as { retryable?: unknown }).retryable === 'boolean';
}

/** BackendError prefixes the model name; the attempt list is already under it. */
function withoutModel(e: BackendError): string {
  const prefix = `${e.model}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}
