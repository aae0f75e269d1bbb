import { BackendError, hasCode } from '../../base/errors.js';
import type { BackendWrapper } from '../backend.js';
import { realSleep, type Sleep } from './sleep.js';
import { wrapCalls } from './wrap-calls.js';

export interface OutageOptions {
  /** Consecutive connection failures that mark the server down. Default 3. */
  threshold?: number;
  /** Longest time in all this model's calls may wait for its server in one run, in ms. Default 10 minutes. */
  budgetMs?: number;
  /** Wait before the first probe; it doubles after each failed probe up to `maxDelayMs`. Default 1000. */
  baseDelayMs?: number;
  /** Default 30 000. */
  maxDelayMs?: number;
  /** Hears when the server goes down, each probe scheduled, and when it is back (the progress line shows it). */
  onStatus?: (status: OutageStatus) => void;
  sleep?: Sleep;
  now?: () => number;
}

/** What the progress line shows about a model's server. */
export interface OutageStatus {
  model: string;
  state: 'down' | 'up' | 'gave-up';
  /** Milliseconds since the server went down. */
  downForMs: number;
  /** For `down`: when the next probe goes out, in ms from now. */
  nextProbeInMs?: number;
  message: string;
}

export const DEFAULT_OUTAGE_BUDGET_MS = 10 * 60_000;

/**
 * A connection failure: the server did not answer at all (refused, reset, timed out) or a gateway in front of
 * it says it is unavailable (502, 503, 504).
 */
export function isConnectionFailure(e: unknown): e is BackendError {
  if (!hasCode(e, 'backend_error')) return false;
  const { status, retryable } = e as unknown as BackendError;
  return (status === undefined && retryable) || status === 502 || status === 503 || status === 504;
}

/**
 * Waits out a server outage instead of failing the calls. After `threshold` consecutive connection failures
 * the server counts as down: no call is sent, except one probe at a time after a backoff (1 s, 2 s, 4 s …
 * up to 30 s); calls that fail meanwhile, and new ones, wait. When a probe succeeds every waiting call goes
 * on, so a run survives a restart of its server with no errored episode. Failures before the threshold are
 * thrown (withRetry retries them). Waiting is bounded by `budgetMs` per run: once spent, waiting calls fail
 * with a BackendError that says so, and later outages fail at once. Sits outside withLimit, so a waiting call
 * holds no concurrency slot; aborting a waiting call rejects with the signal's reason.
 */
export function withOutageWait(options: OutageOptions = {}): BackendWrapper {
  const threshold = Math.max(1, options.threshold ?? 3);
  const budgetMs = options.budgetMs ?? DEFAULT_OUTAGE_BUDGET_MS;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => Date.now());

  return (inner) => {
    if (inner.isProgrammatic) return inner;
    let failures = 0;
    let spentMs = 0;
    let gaveUp = false;
    let down: { since: number; delayMs: number; probeOpen: boolean; probing: boolean; wake: () => void; changed: Promise<void>; lastError: BackendError } | null = null;

    const report = (state: OutageStatus['state'], message: string, nextProbeInMs?: number): void => {
      options.onStatus?.({ model: inner.name, state, downForMs: down ? now() - down.since : 0, message, ...(nextProbeInMs !== undefined ? { nextProbeInMs } : {}) });
    };
    const newSignal = (): { changed: Promise<void>; wake: () => void } => {
      let wake: () => void = () => {};
      const changed = new Promise<void>((resolve) => (wake = resolve));
      return { changed, wake };
    };
    const schedule = (): void => {
      const state = down;
      if (!state) return;
      const wait = Math.min(state.delayMs, Math.max(0, budgetMs - spentMs - (now() - state.since)));
      report('down', `${inner.name}: server unreachable for ${seconds(now() - state.since)} (${state.lastError.message.replace(`${inner.name}: `, '')}); waiting, next try in ${seconds(wait)}`, wait);
      void sleep(wait).then(() => {
        if (down !== state) return;
        if (spentMs + (now() - state.since) >= budgetMs) {
          giveUp(state);
          return;
        }
        state.probeOpen = true;
        state.delayMs = Math.min(maxDelayMs, state.delayMs * 2);
        wakeAll(state);
      });
    };
    const wakeAll = (state: NonNullable<typeof down>): void => {
      const old = state.wake;
      Object.assign(state, newSignal());
      old();
    };
    const markDown = (e: BackendError): void => {
      down = { since: now(), delayMs: baseDelayMs, probeOpen: false, probing: false, lastError: e, ...newSignal() };
      schedule();
    };
    const markUp = (): void => {
      const state = down;
      failures = 0;
      if (!state) return;
      spentMs += now() - state.since;
      down = null;
      report('up', `${inner.name}: server back after ${seconds(now() - state.since)}`);
      state.wake();
    };
    const giveUp = (state: NonNullable<typeof down>): void => {
      spentMs += now() - state.since;
      gaveUp = true;
      down = null;
      report('gave-up', `${inner.name}: server unreachable for ${seconds(now() - state.since)}; gave up waiting (budget ${seconds(budgetMs)})`);
      state.wake();
    };

    const run = async <T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
      for (;;) {
        let isProbe = false;
        while (down) {
          signal?.throwIfAborted();
          const state: NonNullable<typeof down> = down;
          if (state.probeOpen && !state.probing) {
            state.probeOpen = false;
            state.probing = true;
            isProbe = true;
            break;
          }
          await abortableWait(state.changed, signal);
        }
        try {
          const result = await call();
          markUp();
          return result;
        } catch (e) {
          const state = down as typeof down;
          if (isProbe && state) state.probing = false;
          if (signal?.aborted) {
            // A probe cancelled by its caller hands the probe to another waiting call.
            if (isProbe && state) {
              state.probeOpen = true;
              wakeAll(state);
            }
            throw e;
          }
          if (!isConnectionFailure(e)) {
            markUp(); // the server answered (an HTTP error, a refusal): it is up
            throw e;
          }
          failures += 1;
          if (isProbe && state) {
            state.lastError = e;
            schedule();
            continue;
          }
          if (gaveUp) throw outageError(inner.name, e, spentMs);
          if (!state && failures < threshold) throw e;
          if (!state) markDown(e);
        }
      }
    };
    return wrapCalls(inner, run);
  };
}

function outageError(model: string, last: BackendError, spentMs: number): BackendError {
  return new BackendError(
    model,
    last.status,
    false,
    `the server stayed unreachable after ${seconds(spentMs)} of waiting in this run (outage budget spent); the last error: ${last.message.replace(`${model}: `, '')}`,
    { cause: last },
  );
}

function abortableWait(changed: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return changed;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void changed.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 6000) / 10} min`;
}
