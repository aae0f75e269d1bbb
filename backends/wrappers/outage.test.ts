import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import type { Backend } from '../backend.js';
import { composeBackend, type ComposeOptions, type OutageStatus } from './index.js';

/**
 * A real server that goes down (its port refuses connections) and comes back on the same port once a fake
 * clock, advanced only by the wrappers' own sleeps, passes `upAtMs`. No test waits for real time.
 */
let server: OpenAIServer;
let clock: number;
let upAtMs: number;
let statuses: OutageStatus[];
const ask = (i: number) => ({ messages: [{ role: 'user' as const, content: `q${i}` }], args: {} });

const sleep = async (ms: number): Promise<void> => {
  clock += ms;
  if (clock >= upAtMs && !server.listener.openConnections() && upAtMs >= 0) {
    upAtMs = Number.POSITIVE_INFINITY;
    await server.listener.restart();
  }
};

function model(options: ComposeOptions = {}): Backend {
  return composeBackend(fakeModelBackend(server.baseURL), {
    retry: { sleep, random: () => 0.5 },
    outage: { sleep, now: () => clock },
    onStatus: (s) => statuses.push(s),
    ...options,
  });
}

beforeEach(async () => {
  server = await startOpenAIServer();
  clock = 0;
  statuses = [];
});
afterEach(async () => {
  await server.close();
});

describe('withOutageWait', () => {
  it('waits out a 15 s outage: every call completes, the server sees each once, the status says down then up', async () => {
    const backend = model();
    await backend.generate(ask(-1));
    server.resetStats();
    await server.listener.stop();
    upAtMs = 15_000;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => backend.generate(ask(i))));
    expect(results.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: 8 }, (_, i) => `echo: q${i}`));
    expect(server.requestCount()).toBe(8);
    expect(clock).toBeGreaterThanOrEqual(15_000);
    expect(statuses[0]).toMatchObject({ model: 'fake-model', state: 'down', nextProbeInMs: 1000 });
    expect(statuses[0]!.message).toMatch(/^fake-model: server unreachable for 0 s \(cannot connect to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(ECONNREFUSED\)/);
    // One probe at a time, each after twice the last wait.
    const waits = statuses.filter((s) => s.state === 'down').map((s) => s.nextProbeInMs);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(waits).toEqual(waits.map((_, i) => 1000 * 2 ** i));
    expect(statuses.at(-1)).toMatchObject({ state: 'up', message: expect.stringMatching(/^fake-model: server back after \d+(\.\d)? s$/) });
  });

  it('without it, the same outage fails the calls once their retries are spent (the check above can fail)', async () => {
    const backend = model({ outage: false });
    await server.listener.stop();
    upAtMs = 15_000;
    const e: unknown = await backend.generate(ask(0)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).message).toMatch(/^fake-model: gave up after 4 attempts:/);
  });

  it('gives up when the budget is spent, and fails later outages at once', async () => {
    const backend = model({ outage: { sleep, now: () => clock, budgetMs: 5_000 } });
    await server.listener.stop();
    upAtMs = -1; // never comes back
    const failed = await Promise.all([0, 1, 2].map((i) => backend.generate(ask(i)).catch((err: unknown) => err)));
    for (const e of failed) {
      expect(e).toBeInstanceOf(BackendError);
      expect((e as BackendError).retryable).toBe(false);
      // (listed under withRetry's attempts when the first failure came before the outage was noticed)
      expect((e as BackendError).message).toMatch(/the server stayed unreachable after 5 s of waiting in this run \(outage budget spent\); the last error: cannot connect/);
    }
    expect(statuses.at(-1)).toMatchObject({ state: 'gave-up' });
    const before = clock;
    const later: unknown = await backend.generate(ask(9)).catch((err: unknown) => err);
    expect((later as BackendError).message).toMatch(/outage budget spent/);
    expect(clock).toBe(before);
  });

  it('hands the probe to another waiting call when the probing call is cancelled', async () => {
    server.setFaults({ queue: [{ kind: 'reset' }, { kind: 'reset' }, { kind: 'hang' }] });
    const backend = model({ retry: false, outage: { sleep, now: () => clock, threshold: 1 } });
    const first = new AbortController();
    const a = backend.generate(ask(0), first.signal).catch((e: unknown) => e);
    const b = backend.generate(ask(1));
    await server.waitForRequests(3); // the resets mark the server down; the first call's probe hangs
    const reason = new Error('cancelled');
    first.abort(reason);
    expect(await a).toBe(reason);
    expect((await b).choices[0]!.text).toBe('echo: q1');
    expect(statuses.at(-1)?.state).toBe('up');
  });

  it('lets errors from a server that answers through at once', async () => {
    server.setFaults({ queue: [{ kind: 'status', status: 400, message: 'bad request' }] });
    const e: unknown = await model({ retry: false }).generate(ask(0)).catch((err: unknown) => err);
    expect((e as BackendError).status).toBe(400);
    expect(statuses).toEqual([]);
  });
});
