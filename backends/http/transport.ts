/**
 * The HTTP layer under every API backend: one connection pool per server (base URL), at most `maxSockets`
 * sockets, keep-alive on or off, default headers, a per-request timeout. Backends send JSON and read JSON;
 * nothing here knows a provider.
 */

/** One request. `url` is absolute; `body` is sent as is (the caller serialises JSON). */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
}

/** A complete response: the status, lower-cased headers and the body as text. */
export interface HttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface HttpTransportOptions {
  /** Reuse connections (default true). false sends `Connection: close` and opens a socket per request. */
  keepAlive?: boolean;
  /** Most sockets open to the server at once, idle ones included (default: no limit). Requests beyond it queue. */
  maxSockets?: number;
  /** Headers sent with every request; a request's own headers win. */
  headers?: Readonly<Record<string, string>>;
  /** Per-request timeout in ms, from the request's start (queueing for a socket included). Default 120 000. */
  timeoutMs?: number;
  /** Idle keep-alive sockets are closed after this many ms (default 4000: below the 5 s of uvicorn, llama.cpp and Node servers). */
  idleSocketMs?: number;
}

/** What the transport offers a backend. */
export interface HttpTransport {
  /**
   * Sends the request and reads the whole response. Resolves for every HTTP status. Rejects with a
   * RequestTimeoutError after the timeout, with the signal's reason when the caller aborts, and with the
   * socket's error (it carries `code`: ECONNREFUSED, ECONNRESET, …) when the connection fails.
   */
  request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  /**
   * A WHATWG fetch over `request` (same pool, headers and timeout), for SDKs that accept a custom fetch; it
   * resolves once the whole reply is read, with a Response over the buffered body (see buffered-fetch.ts).
   */
  readonly fetch: typeof fetch;
  /** Sockets open now (busy and idle); for tests and benchmarks. */
  openSockets(): number;
  /** Closes idle sockets and refuses no further requests; in-flight requests finish. */
  close(): void;
}

/** The request did not complete within its timeout. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete reply within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
export const DEFAULT_IDLE_SOCKET_MS = 4_000;

/** Joins a base URL and a path, keeping the base's query (Azure's `?api-version=…`). */
export function joinUrl(baseUrl: string, path: string): string {
  const q = baseUrl.indexOf('?');
  const base = (q >= 0 ? baseUrl.slice(0, q) : baseUrl).replace(/\/+$/, '');
  const query = q >= 0 ? baseUrl.slice(q) : '';
  return `${base}/${path.replace(/^\/+/, '')}${query}`;
}
