import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import type { Backend, GenerateResult } from '../backend.js';
import { createBackend, createModel } from '../index.js';
import { combineReplicas } from './index.js';

let replicas: OpenAIServer[];
let clock: number;
const ask = (i: number) => ({ messages: [{ role: 'user' as const, content: `q${i}` }], args: {} });
const deps = { keys: KeyRing.empty({}), cacheDir: '/nonexistent' };
const spec = (fields: Record<string, unknown> = {}) =>
  ModelSpecSchema.parse({ model_name: 'fleet', backend: 'vllm', base_url: replicas.map((r) => r.baseURL), ...fields });

function parallel(backend: Backend, count: number, from = 0): Promise<GenerateResult[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => backend.generate(ask(from + i))));
}

beforeEach(async () => {
  replicas = await Promise.all([0, 1, 2, 3].map(() => startOpenAIServer({ latencyMs: 20 })));
  clock = 0;
});
afterEach(async () => {
  await Promise.all(replicas.map((r) => r.close()));
});

describe('a model with several base URLs', () => {
  it('sends each call to the least-loaded replica, max_concurrency applying per replica', async () => {
    const backend = await createModel(spec({ max_concurrency: 2 }), deps, { retry: false });
    const results = await parallel(backend, 16);
    expect(results.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: 16 }, (_, i) => `echo: q${i}`));
    expect(replicas.map((r) => r.requestCount())).toEqual([4, 4, 4, 4]);
    expect(replicas.map((r) => r.maxInFlight())).toEqual([2, 2, 2, 2]);
    expect(replicas.map((r) => r.listener.peakConnections())).toEqual([2, 2, 2, 2]);
    await backend.close();
  });

  it('takes a replica that fails to connect out at once, and probes it back in after the cooldown', async () => {
    const bare = await Promise.all(replicas.map((r) => createBackend(ModelSpecSchema.parse({ model_name: 'fleet', backend: 'vllm', base_url: r.baseURL }), deps)));
    const backend = combineReplicas(bare, { cooldownMs: 1000, now: () => clock });
    await replicas[1]!.listener.stop();
    // No call fails: the one that met the dead replica went on to another at once.
    const during = await parallel(backend, 12);
    expect(during.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: 12 }, (_, i) => `echo: q${i}`));
    expect(replicas.map((r) => r.requestCount())).toEqual([4, 0, 4, 4]);

    // Back up, but still cooling down: left out.
    await replicas[1]!.listener.restart();
    await parallel(backend, 3, 12);
    expect(replicas[1]!.requestCount()).toBe(0);
    // After the cooldown one probe goes there; its success takes the replica back in.
    clock += 1000;
    await backend.generate(ask(15));
    expect(replicas[1]!.requestCount()).toBe(1);
    for (const r of replicas) r.resetStats();
    await parallel(backend, 8, 16);
    expect(replicas.map((r) => r.requestCount())).toEqual([2, 2, 2, 2]);
    await backend.close();
  });

  it('lets the connection error through when every replica is down', async () => {
    const backend = await createModel(spec(), deps, { retry: false, outage: false });
    await Promise.all(replicas.map((r) => r.listener.stop()));
    await expect(backend.generate(ask(0))).rejects.toThrow(/ECONNREFUSED/);
    await backend.close();
  });
});
