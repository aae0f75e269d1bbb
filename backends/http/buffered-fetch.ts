import type { HttpTransport } from './transport.js';

/**
 * A WHATWG fetch over a transport's `request`, for SDKs that take a custom fetch (the openai and Anthropic
 * SDKs). The whole reply is read before the fetch resolves, and it resolves with a BufferedResponse: a Response
 * whose `text()` and `json()` hand over the string already in memory. A `new Response(text)` would wrap it in
 * a web ReadableStream and read it back through that stream: measured on loopback that costs about 70 µs of
 * main-thread time per call, more than the rest of the transport (bench p1, "HTTP client cost").
 *
 * Sends string bodies only (the SDKs send JSON as a string) and GET or POST; anything else is a TypeError.
 */
export function bufferedFetch(request: HttpTransport['request']): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    const given = init?.headers ?? (input instanceof Request ? input.headers : undefined);
    (given instanceof Headers ? given : new Headers(given)).forEach((value, key) => {
      headers[key] = value;
    });
    const body = init?.body ?? undefined;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('this fetch sends string bodies only');
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`this fetch sends GET and POST only, got ${method}`);
    const res = await request({ method, url, headers, ...(typeof body === 'string' ? { body } : {}) }, init?.signal ?? undefined);
    return new BufferedResponse(res.status, res.headers, url, res.body);
  };
}

/**
 * The raw body of a response a `bufferedFetch` returned that was not a success (status outside 200–299),
 * found by the response's Headers object, which SDK errors carry (`APIError.headers`). The SDKs keep only a
 * body's `error` field; this gives the error mapping every body shape (Mistral's `{"message"}`, Google's list,
 * a proxy's HTML page). Undefined for headers of any other response.
 */
export function errorBodyOf(headers: unknown): string | undefined {
  return headers instanceof Headers ? errorBodies.get(headers) : undefined;
}

const errorBodies = new WeakMap<Headers, string>();

/** Statuses whose response has no body (fetch's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A Response over a body already in memory. Behaves as fetch's Response: the body can be read once (a second
 * read rejects with a TypeError), `body` is a ReadableStream made on first access (or null for 204, 304 …);
 * looking at `body` (SDKs check `body.locked`) does not use it up, reading from it does.
 */
class BufferedResponse implements Response {
  readonly type = 'basic' as const;
  readonly redirected = false;
  readonly statusText = '';
  readonly ok: boolean;
  readonly headers: Headers;
  #text: string;
  #used = false;
  #stream: Response['body'] | undefined;

  constructor(
    readonly status: number,
    headers: Readonly<Record<string, string>>,
    readonly url: string,
    text: string,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.headers = new Headers(headers);
    this.#text = NULL_BODY.has(status) ? '' : text;
    if (!this.ok) errorBodies.set(this.headers, this.#text);
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): Response['body'] {
    if (NULL_BODY.has(this.status)) return null;
    if (this.#stream === undefined) this.#stream = new Response(this.#used ? '' : this.#text).body;
    return this.#stream;
  }

  async text(): Promise<string> {
    return this.#take();
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Response(this.#take()).arrayBuffer();
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async blob(): Promise<Blob> {
    return new Response(this.#take(), { headers: this.headers }).blob();
  }

  async formData(): Promise<FormData> {
    return new Response(this.#take(), { headers: this.headers }).formData();
  }

  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: the body has already been read');
    return new BufferedResponse(this.status, Object.fromEntries(this.headers), this.url, this.#text);
  }

  #take(): string {
    if (this.#used || this.#stream?.locked) throw new TypeError('Body is unusable: the body has already been read');
    this.#used = true;
    const text = this.#text;
    this.#text = '';
    return text;
  }
}
