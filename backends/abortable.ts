/**
 * Settles with `work`, or rejects with the signal's reason as soon as `signal` aborts (at once if it already
 * has); the work's own later outcome is then ignored. The listener is removed when the work settles.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A signal for one call that aborts when `signal` does (with its reason), and `done()`, which unlinks it once
 * the call has settled. For SDKs that add an abort listener to the signal they are given and never remove it
 * (the openai SDK): handed a long-lived signal (an episode's, a run's), every call would leave a listener, and
 * the request state it holds, on it until the run ends.
 */
export function callSignal(signal: AbortSignal | undefined): { signal: AbortSignal | undefined; done: () => void } {
  if (!signal) return { signal: undefined, done: () => {} };
  const call = new AbortController();
  const onAbort = (): void => call.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { signal: call.signal, done: () => signal.removeEventListener('abort', onAbort) };
}
