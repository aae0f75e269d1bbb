import pLimit, { type LimitFunction } from 'p-limit';
import { abortable } from '../abortable.js';
import type { BackendWrapper } from '../backend.js';
import { RateLimiter } from './rate-limiter.js';
import type { Sleep } from './sleep.js';
import { wrapCalls } from './wrap-calls.js';

export interface LimitOptions {
  /** Most calls in flight at once. Undefined: no concurrency limit. */
  maxConcurrency?: number;
  /** Most call starts per minute (evenly spaced; see RateLimiter). Undefined: no rate limit. */
  requestsPerMinute?: number;
  /** Starts allowed back to back before the rate applies. Default 1. */
  burst?: number;
  /**
   * Slots shared with other models (the runner's `-c`: model requests in flight across the run). A call takes one
   * after its model's own slot and rate wait, so a call held back by its own model's limit never holds a slot
   * another model could use. Waiting calls get freed slots in arrival order.
   */
  sharedSlots?: LimitFunction;
  /** Injected for tests. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Limits calls to the wrapped backend: at most `maxConcurrency` in flight (p-limit), at most
 * `requestsPerMinute` starts per minute, and one of the `sharedSlots` (the run's) per call. The limiter belongs to the returned backend, so wrap once per
 * model and share that backend among all episodes of a run. A call waiting for a slot rejects with the
 * signal's reason when its signal aborts. Programmatic backends (`isProgrammatic`) are returned unchanged.
 */
export function withLimit(options: LimitOptions): BackendWrapper {
  return (inner) => {
    if (inner.isProgrammatic) return inner;
    const shared = options.sharedSlots;
    if (options.maxConcurrency === undefined && options.requestsPerMinute === undefined && shared === undefined) return inner;
    const limit = pLimit(options.maxConcurrency ?? Number.POSITIVE_INFINITY);
    const rate =
      options.requestsPerMinute === undefined
        ? undefined
        : new RateLimiter({
            requestsPerMinute: options.requestsPerMinute,
            ...(options.burst !== undefined ? { burst: options.burst } : {}),
            ...(options.now ? { now: options.now } : {}),
            ...(options.sleep ? { sleep: options.sleep } : {}),
          });

    const run = <T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
      signal?.throwIfAborted();
      // The rate wait happens inside the slot, so calls queued for a slot cannot start in a burst later.
      const task = limit(async () => {
        signal?.throwIfAborted();
        await rate?.acquire(signal);
        if (!shared) return call();
        // Aborted while waiting for a shared slot: the task gives its slot back at once.
        return shared(async () => {
          signal?.throwIfAborted();
          return call();
        });
      });
      // Rejects as soon as the signal aborts, without waiting for a queued task to get its slot (the task itself
      // then sees the aborted signal and returns at once, freeing the slot).
      return abortable(task, signal);
    };

    return wrapCalls(inner, run);
  };
}
