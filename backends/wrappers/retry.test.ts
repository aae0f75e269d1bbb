import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import { NO_CAPABILITIES, type Backend, type GenerateResult } from '../backend.js';
import { RetriesExhaustedError, withRetry, type RetryOptions } from './index.js';

const request = { messages: [{ role: 'user' as const, content: 'Is it an animal?' }], args: {} };

let server: OpenAIServer;
let url: string;
let sleeps: number[];

function retried(options: RetryOptions = {}): Backend {
  return withRetry({
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  })(fakeModelBackend(server.baseURL));
}

beforeEach(async () => {
  server = await startOpenAIServer();
  url = `${server.baseURL}/chat/completions`;
  sleeps = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('withRetry', () => {
  it('retries every retryable fault, honouring Retry-After and otherwise backing off with jitter', async () => {
    server.setFaults({
      queue: [{ kind: 'status', status: 429, retryAfter: '3' }, { kind: 'status', status: 500 }, { kind: 'reset' }, { kind: 'malformed' }, { kind: 'empty-choices' }],
    });
    const result = await retried({ maxAttempts: 6 }).generate(request);
    expect(result.choices[0]!.text).toBe('echo: Is it an animal?');
    expect(server.requests).toHaveLength(6);
    // Retry-After 3 s after attempt 1; after attempt k = 2..5, random 0.5 × min(30 s, 1 s × 2^(k−1)).
    expect(sleeps).toEqual([3000, 1000, 2000, 4000, 8000]);
  });

  it('caps Retry-After and the exponential delay', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 429, retryAfter: '600' }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 }] });
    await retried({ maxAttempts: 4, maxRetryAfterMs: 10_000, baseDelayMs: 8000, maxDelayMs: 12_000, random: () => 1 }).generate(request);
    expect(sleeps).toEqual([10_000, 12_000, 12_000]);
  });

  it('gives up after maxAttempts with an error that lists every attempt', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 503, message: 'overloaded' }, { kind: 'empty-choices' }, { kind: 'status', status: 429, message: 'slow down' }] });
    const e: unknown = await retried({ maxAttempts: 3 }).generate(request).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RetriesExhaustedError);
    const err = e as RetriesExhaustedError;
    expect([err.code, err.model, err.status, err.retryable]).toEqual(['backend_error', 'fake-model', 429, true]);
    expect(err.message).toBe(
      [
        'fake-model: gave up after 3 attempts:',
        `  attempt 1: HTTP 503: HTTP 503 (server error) from ${url}: overloaded. The server failed; the request can be retried.`,
        `  attempt 2: HTTP 200: reply from ${url} has no choices (empty "choices" array); the request can be retried.`,
        `  attempt 3: HTTP 429: HTTP 429 (rate limited) from ${url}: slow down. If it persists, lower max_concurrency or requests_per_minute for this model in model_registry.json.`,
      ].join('\n'),
    );
    expect(err.attempts.map((a) => a.waitedMs)).toEqual([500, 1000, null]);
    expect(err.cause).toBeInstanceOf(BackendError);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a non-retryable error, and throws it unchanged', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 401, message: 'bad key' }] });
    const e: unknown = await retried().generate(request).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect(e).not.toBeInstanceOf(RetriesExhaustedError);
    expect((e as BackendError).status).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('stops at a non-retryable error after retryable ones and lists them all', async () => {
    server.setFaults({ queue: [{ kind: 'reset' }, { kind: 'status', status: 400, message: 'bad seed' }] });
    const e = (await retried().generate(request).catch((err: unknown) => err)) as RetriesExhaustedError;
    expect(e.retryable).toBe(false);
    expect(e.status).toBe(400);
    expect(e.message.split('\n')[0]).toBe('fake-model: failed after 2 attempts (the last error is not retryable):');
    expect(e.message.split('\n')[1]).toMatch(/^ {2}attempt 1: no status: connection to .* closed before a reply/);
    expect(e.message.split('\n')[2]).toMatch(/^ {2}attempt 2: HTTP 400: HTTP 400 from .*: bad seed\./);
  });

  it('waits out Retry-After on real timers (driven by fake timers) and stops when aborted mid-wait', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const inner: Backend = {
      name: 'stub',
      capabilities: NO_CAPABILITIES,
      generate: async () => {
        calls += 1;
        throw new BackendError('stub', 429, true, 'rate limited', { retryAfterMs: 5000 });
      },
      close: async () => {},
    };
    const backend = withRetry({ maxAttempts: 3 })(inner);
    const controller = new AbortController();
    const settled = backend.generate(request, controller.signal).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await settled).toBe(reason);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(2);
  });

  it('passes errors that are not BackendErrors straight through', async () => {
    const bug = new TypeError('bug');
    let calls = 0;
    const inner: Backend = {
      name: 'stub',
      capabilities: NO_CAPABILITIES,
      generate: async () => {
        calls += 1;
        throw bug;
      },
      close: async () => {},
    };
    await expect(withRetry()(inner).generate(request)).rejects.toBe(bug);
    expect(calls).toBe(1);
  });

  it('forwards score only when the inner backend has one, and close always', async () => {
    // (openai backends always have score(): it says which servers can score; this stub has none)
    const noScore = withRetry()({ name: 'plain', capabilities: NO_CAPABILITIES, generate: async () => Promise.reject(new Error('unused')), close: async () => {} });
    expect('score' in noScore).toBe(false);
    let closed = 0;
    let scoreCalls = 0;
    const inner: Backend = {
      name: 'stub',
      capabilities: { ...NO_CAPABILITIES, score: true },
      isProgrammatic: false,
      generate: async (): Promise<GenerateResult> => {
        throw new Error('unused');
      },
      score: async () => {
        scoreCalls += 1;
        if (scoreCalls === 1) throw new BackendError('stub', 500, true, 'flaky');
        return { tokenLogprobs: [-1], tokens: ['a'], logprob: -1 };
      },
      close: async () => {
        closed += 1;
      },
    };
    const wrapped = withRetry({ sleep: async () => {} })(inner);
    expect(await wrapped.score?.({ messages: [], continuation: 'a' })).toEqual({ tokenLogprobs: [-1], tokens: ['a'], logprob: -1 });
    expect(scoreCalls).toBe(2);
    await wrapped.close();
    expect(closed).toBe(1);
    expect(wrapped.capabilities).toBe(inner.capabilities);
  });
});
