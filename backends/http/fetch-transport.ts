import { bufferedFetch } from './buffered-fetch.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTimeoutError, type HttpRequest, type HttpResponse, type HttpTransport, type HttpTransportOptions } from './transport.js';

/**
 * An HttpTransport over an injected fetch (a test seam, or a proxy-aware fetch of the user's). The pool is
 * the fetch's own, so `maxSockets` and `keepAlive` only shape the headers sent.
 */
export function createFetchTransport(fetchFn: typeof fetch, options: HttpTransportOptions = {}): HttpTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const defaults: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.keepAlive === false) defaults.connection = 'close';
  const request = async (req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> => {
    signal?.throwIfAborted();
    const call = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      call.abort();
    }, timeoutMs);
    const onAbort = (): void => call.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await fetchFn(req.url, {
        method: req.method,
        headers: { ...defaults, ...req.headers },
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: call.signal,
      });
      const body = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key] = value;
      });
      return { status: res.status, headers, body };
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut) throw new RequestTimeoutError(timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
  return { request, fetch: bufferedFetch(request), openSockets: () => 0, close() {} };
}
