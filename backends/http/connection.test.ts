import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import type { Backend, GenerateResult } from '../backend.js';
import { createNodeTransport, joinUrl } from './index.js';

const KEY = 'sk-azure-0123456789abcdef';
const ask = (i: number) => ({ messages: [{ role: 'user' as const, content: `q${i}` }], args: {} });

let server: OpenAIServer;
afterEach(async () => {
  await server.close();
});

function parallel(backend: Backend, count: number): Promise<GenerateResult[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => backend.generate(ask(i))));
}

describe('model_config.http', () => {
  it('keeps one connection alive by default, and opens one per call with "Connection: close" when keep_alive is false', async () => {
    server = await startOpenAIServer();
    const alive = fakeModelBackend(server.baseURL);
    for (let i = 0; i < 5; i++) await alive.generate(ask(i));
    expect(server.listener.connectionsAccepted()).toBe(1);
    expect(server.requests.map((r) => r.headers.connection)).toEqual(Array(5).fill('keep-alive'));

    server.resetStats();
    const closing = fakeModelBackend(server.baseURL, { model_config: { http: { keep_alive: false } } });
    for (let i = 0; i < 5; i++) await closing.generate(ask(i));
    expect(server.listener.connectionsAccepted()).toBe(6);
    expect(server.requests.map((r) => r.headers.connection)).toEqual(Array(5).fill('close'));
    await Promise.all([alive.close(), closing.close()]);
  });

  it('reads whole replies from a server that writes like llama.cpp (headers and body apart, no TCP_NODELAY), keep-alive on or off', async () => {
    // The ~40 ms stall itself is timing, measured by `npm run bench -- p5`; here: the fix keeps every reply whole.
    server = await startOpenAIServer({ splitWrites: true, connections: { noDelay: false } });
    const alive = fakeModelBackend(server.baseURL);
    const closing = fakeModelBackend(server.baseURL, { model_config: { http: { keep_alive: false } } });
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) texts.push((await alive.generate(ask(i))).choices[0]!.text, (await closing.generate(ask(i))).choices[0]!.text);
    expect(texts).toEqual([0, 1, 2, 3].flatMap((i) => [`echo: q${i}`, `echo: q${i}`]));
    expect(server.listener.connectionsAccepted()).toBe(5);
    expect(server.requests.map((r) => r.headers.connection)).toEqual(Array(4).fill(['keep-alive', 'close']).flat());
    await Promise.all([alive.close(), closing.close()]);
  });

  it('sends the extra headers, and the key in api_key_header instead of Authorization (Azure), keeping the base URL query', async () => {
    server = await startOpenAIServer();
    const backend = fakeModelBackend(
      `${server.baseURL}?api-version=2024-10-21`,
      { model_config: { http: { headers: { 'HTTP-Referer': 'https://clem.example', 'X-Title': 'clem-ts' }, api_key_header: 'api-key' } } },
      { OPENAI_COMPATIBLE_API_KEY: KEY },
    );
    await backend.generate(ask(0));
    const received = server.requests[0]!;
    expect(received.path).toBe('/v1/chat/completions?api-version=2024-10-21');
    expect(received.authorization).toBeUndefined();
    expect(received.headers).toMatchObject({ 'http-referer': 'https://clem.example', 'x-title': 'clem-ts', 'api-key': KEY });
    await backend.close();
  });

  it('is refused by the registry when a setting is misspelt', () => {
    const parsed = ModelSpecSchema.safeParse({ model_name: 'm', backend: 'openai', model_config: { http: { keepalive: false } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['model_config.http', 'Unrecognized key: "keepalive"']]);
  });
});

describe('the connection pool', () => {
  it(
    'never holds more sockets than max_concurrency, so a server with 3 connection threads serves every call (llama.cpp)',
    async () => {
      // Idle connections hold their thread for 10 minutes: one socket too many and a call would wait that long.
      server = await startOpenAIServer({ latencyMs: 5, connections: { maxConnections: 3 }, keepAliveTimeoutMs: 600_000 });
      const backend = fakeModelBackend(server.baseURL, { max_concurrency: 3 });
      const results = await parallel(backend, 24);
      expect(results.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: 24 }, (_, i) => `echo: q${i}`));
      expect(server.listener.peakConnections()).toBe(3);
      // Later calls reuse the same sockets.
      await parallel(backend, 6);
      expect(server.listener.connectionsAccepted()).toBe(3);
      await backend.close();
    },
    30_000,
  );

  it('without max_concurrency the pool grows with the calls in flight (the check above can fail)', async () => {
    server = await startOpenAIServer({ latencyMs: 20 });
    const backend = fakeModelBackend(server.baseURL);
    await parallel(backend, 8);
    expect(server.listener.peakConnections()).toBe(8);
    await backend.close();
  });

  it('counts its open sockets and closes them on close()', async () => {
    server = await startOpenAIServer();
    const transport = createNodeTransport({ maxSockets: 2 });
    const url = joinUrl(server.baseURL, 'chat/completions');
    await Promise.all([0, 1].map(() => transport.request({ method: 'POST', url, body: '{"model":"m","messages":[]}' })));
    expect(transport.openSockets()).toBe(2);
    transport.close();
    await vi.waitFor(() => expect(transport.openSockets()).toBe(0));
  });
});

describe('joinUrl', () => {
  it('appends the path once and keeps the query', () => {
    expect(joinUrl('http://h:1/v1/', '/chat/completions')).toBe('http://h:1/v1/chat/completions');
    expect(joinUrl('https://x.openai.azure.com/openai/deployments/d?api-version=1', 'chat/completions')).toBe(
      'https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=1',
    );
  });
});
