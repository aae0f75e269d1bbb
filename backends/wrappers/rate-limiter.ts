import { realSleep, type Sleep } from './sleep.js';

export interface RateLimiterOptions {
  requestsPerMinute: number;
  /** Requests that may start back to back before the rate applies. Default 1 (evenly spaced starts). */
  burst?: number;
  /** Clock in ms; injected for tests. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Spaces request starts so that no more than `requestsPerMinute` start per minute on average, with at most
 * `burst` starting together (GCRA, the "virtual scheduling" form of a token bucket). Starts are granted in
 * call order. Written here rather than taken from a library: it is ten lines, and p-limit (already used for
 * concurrency) has no rate option.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  /** Theoretical arrival time of the next request. */
  private tat = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    if (!(options.requestsPerMinute > 0)) throw new RangeError(`requestsPerMinute must be > 0, got ${options.requestsPerMinute}`);
    this.intervalMs = 60_000 / options.requestsPerMinute;
    this.toleranceMs = (Math.max(1, Math.floor(options.burst ?? 1)) - 1) * this.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves when the caller may start a request; rejects with the signal's reason if it aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.now();
    const tat = Math.max(this.tat, now);
    const startAt = Math.max(now, tat - this.toleranceMs);
    this.tat = tat + this.intervalMs;
    if (startAt > now) await this.sleep(startAt - now, signal);
  }
}
