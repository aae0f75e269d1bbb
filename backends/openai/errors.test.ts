import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { startOpenAIServer, type Fault, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import type { Backend } from '../backend.js';
import { parseRetryAfter } from './index.js';

const KEY = 'sk-test-0123456789abcdef';
const request = { messages: [{ role: 'user' as const, content: 'Is it an animal?' }], args: { maxTokens: 8 } };

let server: OpenAIServer;
let backend: Backend;
let url: string;

function makeBackend(baseURL: string, modelConfig: Record<string, unknown> = {}): Backend {
  return fakeModelBackend(baseURL, { model_config: modelConfig }, { OPENAI_COMPATIBLE_API_KEY: KEY });
}

async function failure(fault: Fault): Promise<BackendError> {
  server.setFaults({ queue: [fault] });
  const e: unknown = await backend.generate(request).then(
    () => new Error('expected a failure'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackendError);
  return e as BackendError;
}

beforeEach(async () => {
  server = await startOpenAIServer();
  backend = makeBackend(server.baseURL);
  url = `${server.baseURL}/chat/completions`;
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('openai backend errors', () => {
  it('429 is retryable and carries Retry-After in ms', async () => {
    const e = await failure({ kind: 'status', status: 429, message: 'Rate limit reached for requests', retryAfter: '2' });
    expect([e.status, e.retryable, e.retryAfterMs]).toEqual([429, true, 2000]);
    expect(e.message).toBe(
      `fake-model: HTTP 429 (rate limited) from ${url}: Rate limit reached for requests. Retry-After: 2 s. ` +
        'If it persists, lower max_concurrency or requests_per_minute for this model in model_registry.json.',
    );
  });

  it('prefers retry-after-ms over retry-after', async () => {
    const e = await failure({ kind: 'status', status: 429, retryAfter: '30', retryAfterMs: '1500' });
    expect(e.retryAfterMs).toBe(1500);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({}), now)).toBeUndefined();
  });

  it('5xx is retryable', async () => {
    const e = await failure({ kind: 'status', status: 503, message: 'Service Unavailable' });
    expect([e.status, e.retryable]).toEqual([503, true]);
    expect(e.message).toBe(`fake-model: HTTP 503 (server error) from ${url}: Service Unavailable. The server failed; the request can be retried.`);
  });

  it('401 is not retryable, says where the key came from, and never prints it', async () => {
    const e = await failure({ kind: 'status', status: 401, message: `Incorrect API key provided: ${KEY}.` });
    expect([e.status, e.retryable]).toEqual([401, false]);
    expect(e.message).toBe(
      `fake-model: HTTP 401 (unauthorized) from ${url}: Incorrect API key provided: sk-t...cdef. ` +
        `Check the API key for backend 'openai_compatible' (the key in use came from env:OPENAI_COMPATIBLE_API_KEY).`,
    );
  });

  it("quotes a proxy's HTML error page on one line, cut short", async () => {
    const html = `<html>\n<body><h1>502 Bad Gateway</h1>${'x'.repeat(400)}</body></html>`;
    const e = await failure({ kind: 'status', status: 502, html });
    expect(e.retryable).toBe(true);
    const detail = html.replace(/\s+/g, ' ').slice(0, 300);
    expect(e.message).toBe(`fake-model: HTTP 502 (server error) from ${url}: ${detail}…. The server failed; the request can be retried.`);
  });

  it('400, 403 and 404 are not retryable', async () => {
    const e400 = await failure({ kind: 'status', status: 400, message: 'max_tokens is too large' });
    expect(e400.message).toBe(
      `fake-model: HTTP 400 from ${url}: max_tokens is too large. The server refused the request; check the generation arguments and model_config.extra_body.`,
    );
    const e403 = await failure({ kind: 'status', status: 403, message: 'Forbidden' });
    expect(e403.message).toMatch(/HTTP 403 \(forbidden\).*may not give access to model 'fake-model'\.$/);
    const e404 = await failure({ kind: 'status', status: 404, message: 'The model `fake-model` does not exist' });
    expect(e404.message).toBe(
      `fake-model: HTTP 404 (not found) from ${url}: The model \`fake-model\` does not exist. ` +
        `Check that model 'fake-model' is served at this base URL (model_id, base_url, or the LoRA adapter's served name).`,
    );
    expect([e400, e403, e404].map((e) => [e.status, e.retryable])).toEqual([
      [400, false],
      [403, false],
      [404, false],
    ]);
  });

  it('a reset connection is retryable', async () => {
    const e = await failure({ kind: 'reset' });
    expect([e.status, e.retryable]).toEqual([undefined, true]);
    expect(e.message).toMatch(
      new RegExp(`^fake-model: connection to ${escape(url)} closed before a reply \\((ECONNRESET|UND_ERR_SOCKET)\\)\\. The server may have crashed`),
    );
  });

  it('malformed JSON is retryable and quotes the start of the body', async () => {
    const e = await failure({ kind: 'malformed', body: '{"choices": [' });
    expect([e.status, e.retryable]).toEqual([200, true]);
    expect(e.message).toBe(`fake-model: malformed JSON in the reply from ${url} (Unexpected end of JSON input); the body starts: "{\\"choices\\": ["`);
  });

  it('an error object inside a 200 body becomes a BackendError with its code', async () => {
    const upstream = await failure({ kind: 'malformed', body: JSON.stringify({ error: { message: 'Provider returned error', code: 502 } }) });
    expect([upstream.status, upstream.retryable]).toEqual([502, true]);
    expect(upstream.message).toBe(`fake-model: error in the reply from ${url} (code 502): Provider returned error. The request can be retried.`);
    const refused = await failure({ kind: 'malformed', body: JSON.stringify({ error: { message: 'context too long', code: 400 } }) });
    expect([refused.status, refused.retryable]).toEqual([400, false]);
  });

  it('a JSON reply of the wrong shape is retryable and names the field', async () => {
    const e = await failure({ kind: 'malformed', body: JSON.stringify({ choices: [{ message: { content: 7 } }] }) });
    expect([e.status, e.retryable]).toEqual([200, true]);
    expect(e.message).toMatch(new RegExp(`^fake-model: unexpected reply from ${escape(url)}: choices\\.0\\.message\\.content: `));
  });

  it('an empty choices array is retryable', async () => {
    const e = await failure({ kind: 'empty-choices' });
    expect([e.status, e.retryable]).toEqual([200, true]);
    expect(e.message).toBe(`fake-model: reply from ${url} has no choices (empty "choices" array); the request can be retried.`);
  });

  it('a server that never answers times out after model_config.timeout_ms (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    backend = makeBackend(server.baseURL, { timeout_ms: 5000 });
    server.setFaults({ queue: [{ kind: 'hang' }] });
    const settled = backend.generate(request).then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await server.waitForRequests(1);
    vi.advanceTimersByTime(4999);
    await new Promise((r) => setImmediate(r));
    expect(server.inFlight()).toBe(1);
    vi.advanceTimersByTime(1);
    const e = await settled;
    expect(e).toBeInstanceOf(BackendError);
    expect([(e as BackendError).status, (e as BackendError).retryable]).toEqual([undefined, true]);
    expect((e as BackendError).message).toBe(
      `fake-model: no reply from ${url} within 5000 ms. Raise model_config.http.timeout_ms, or lower max_concurrency if the server is overloaded.`,
    );
  });

  it("the caller's abort rejects with the signal's reason, not a BackendError", async () => {
    server.setFaults({ queue: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const settled = backend.generate(request, controller.signal).then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await server.waitForRequests(1);
    const reason = new Error('run cancelled');
    controller.abort(reason);
    expect(await settled).toBe(reason);
  });

  it('an unreachable base URL is a retryable connection error that names the URL', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    const dead = makeBackend(`http://127.0.0.1:${port}/v1`);
    const e: unknown = await dead.generate(request).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).retryable).toBe(true);
    expect((e as BackendError).message).toBe(
      `fake-model: cannot connect to http://127.0.0.1:${port}/v1/chat/completions (ECONNREFUSED). Is the server running, and is base_url right?`,
    );
  });

  it('refuses a base URL with credentials without printing them', () => {
    expect(() => makeBackend(server.baseURL.replace('http://', 'http://user:pw@'))).toThrow(
      `fake-model: the base URL for backend 'openai_compatible' contains a user name or password, which is never sent. ` +
        `Put the key in key.json under "openai_compatible".api_key or in OPENAI_COMPATIBLE_API_KEY instead.`,
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
