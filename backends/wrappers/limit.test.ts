import pLimit from 'p-limit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import { NO_CAPABILITIES, type Backend, type GenerateResult } from '../backend.js';
import { composeBackend, limitsFromSpec, RateLimiter, withLimit } from './index.js';

const request = { messages: [{ role: 'user' as const, content: 'Is it an animal?' }], args: {} };

let server: OpenAIServer;

function openai(fields: Record<string, unknown> = {}): Backend {
  return fakeModelBackend(server.baseURL, fields);
}

function parallel(backend: Backend, count: number): Promise<GenerateResult[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => backend.generate({ ...request, messages: [{ role: 'user', content: `q${i}` }] })));
}

beforeEach(async () => {
  // Latency keeps requests in flight long enough for them to overlap at the server.
  server = await startOpenAIServer({ latencyMs: 50 });
});
afterEach(async () => {
  await server.close();
});

describe('withLimit', () => {
  it('keeps at most maxConcurrency requests in flight at the server', async () => {
    const results = await parallel(withLimit({ maxConcurrency: 3 })(openai()), 12);
    expect(results.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: 12 }, (_, i) => `echo: q${i}`));
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlight()).toBe(3);
  });

  it('without a limit the same calls overlap freely (the check above can fail)', async () => {
    await parallel(withLimit({})(openai()), 12);
    expect(server.maxInFlight()).toBeGreaterThan(3);
  });

  it('spaces request starts to requestsPerMinute, with an optional burst', async () => {
    const sleeps: number[] = [];
    const options = {
      now: () => 0,
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
    };
    await parallel(withLimit({ requestsPerMinute: 60, ...options })(openai()), 3);
    expect(sleeps).toEqual([1000, 2000]);
    sleeps.length = 0;
    await parallel(withLimit({ requestsPerMinute: 120, burst: 2, ...options })(openai()), 4);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('a call waiting for a slot rejects when its signal aborts and never reaches the server', async () => {
    server.setFaults({ queue: [{ kind: 'hang' }] });
    const backend = withLimit({ maxConcurrency: 1 })(openai({ model_config: { timeout_ms: 60_000 } }));
    const first = new AbortController();
    const second = new AbortController();
    const hanging = backend.generate(request, first.signal).catch((err: unknown) => err);
    const queued = backend.generate(request, second.signal).catch((err: unknown) => err);
    await server.waitForRequests(1);
    const reason = new Error('cancelled while queued');
    second.abort(reason);
    expect(await queued).toBe(reason);
    first.abort(new Error('done'));
    await hanging;
    // The slot is free again and the aborted call was never sent.
    await backend.generate(request);
    expect(server.requests).toHaveLength(2);
  });

  it('sharedSlots bound the calls of several backends together; a call waiting for its own model\'s slot holds none', async () => {
    const shared = pLimit(2);
    const one = withLimit({ maxConcurrency: 1, sharedSlots: shared })(openai());
    const free = withLimit({ sharedSlots: shared })(openai());
    const ask = (backend: Backend, text: string): Promise<GenerateResult> => backend.generate({ ...request, messages: [{ role: 'user', content: text }] });
    const results = await Promise.all([ask(one, 'one-a'), ask(one, 'one-b'), ask(one, 'one-c'), ask(free, 'free-a'), ask(free, 'free-b'), ask(free, 'free-c')]);
    expect(results.map((r) => r.choices[0]!.text)).toEqual(['one-a', 'one-b', 'one-c', 'free-a', 'free-b', 'free-c'].map((t) => `echo: ${t}`));
    expect(server.maxInFlight()).toBe(2);
    // one-b and one-c wait for their model's slot without a shared one, so free-a goes out beside one-a.
    const sent = server.requests.map((r) => (r.body?.messages as { content: string }[])[0]!.content);
    expect(sent.slice(0, 2).sort()).toEqual(['free-a', 'one-a']);
  });

  it('leaves programmatic backends alone and forwards score only when present', async () => {
    const program: Backend = { name: 'mock', capabilities: NO_CAPABILITIES, isProgrammatic: true, generate: async () => failWith(), close: async () => {} };
    expect(withLimit({ maxConcurrency: 1 })(program)).toBe(program);
    expect(composeBackend(program, { maxConcurrency: 1 })).toBe(program);
    // (openai backends always have score(): it says which servers can score; this stub has none)
    expect('score' in withLimit({ maxConcurrency: 1 })({ ...program, isProgrammatic: false })).toBe(false);
    const scored: Backend = {
      ...program,
      isProgrammatic: false,
      score: async () => ({ tokenLogprobs: [], tokens: [], logprob: 0 }),
    };
    expect(await withLimit({ maxConcurrency: 1 })(scored).score?.({ messages: [], continuation: '' })).toEqual({ tokenLogprobs: [], tokens: [], logprob: 0 });
  });
});

describe('RateLimiter', () => {
  it('refuses a non-positive rate', () => {
    expect(() => new RateLimiter({ requestsPerMinute: 0 })).toThrow('requestsPerMinute must be > 0, got 0');
  });

  it('lets requests through at once after a quiet period', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const limiter = new RateLimiter({ requestsPerMinute: 60, now: () => clock, sleep: async (ms) => void sleeps.push(ms) });
    await limiter.acquire();
    clock = 5000;
    await limiter.acquire();
    await limiter.acquire();
    expect(sleeps).toEqual([1000]);
  });
});

describe('composeBackend', () => {
  it('retries outside the limit: a call waiting out its backoff holds no slot', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 429, retryAfter: '30' }] });
    let releaseBackoff: () => void = () => {};
    const backoff = new Promise<void>((resolve) => (releaseBackoff = resolve));
    const backend = composeBackend(openai({ max_concurrency: 1 }), {
      ...limitsFromSpec(ModelSpecSchema.parse({ model_name: 'x', backend: 'openai', max_concurrency: 1 })),
      retry: { sleep: () => backoff },
    });
    const rateLimited = backend.generate({ ...request, messages: [{ role: 'user', content: 'first' }] });
    await server.waitForRequests(1);
    // While `first` sleeps, `second` gets the only slot and completes.
    const second = await backend.generate({ ...request, messages: [{ role: 'user', content: 'second' }] });
    expect(second.choices[0]!.text).toBe('echo: second');
    releaseBackoff();
    expect((await rateLimited).choices[0]!.text).toBe('echo: first');
    expect(server.requests.map((r) => (r.body?.messages as { content: string }[])[0]!.content)).toEqual(['first', 'second', 'first']);
    expect(server.maxInFlight()).toBe(1);
  });

  it('retry: false gives only the limits', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 500 }] });
    const e: unknown = await composeBackend(openai(), { retry: false, maxConcurrency: 2 }).generate(request).catch((err: unknown) => err);
    expect((e as BackendError).status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });
});

function failWith(): never {
  throw new Error('unused');
}
