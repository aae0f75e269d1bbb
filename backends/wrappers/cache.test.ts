import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheEntrySchema } from '../../registry/cache-entry.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { fakeModelBackend } from '../../test/helpers/fake-model.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import type { Backend, GenerationArgs } from '../backend.js';
import { parseDuration, withCache } from './index.js';

const tmp = tempDirs();
let server: OpenAIServer;
let dir: string;
let clock: number;
const hello = [{ role: 'user' as const, content: 'Is it an animal?' }];

function cached(fields: Record<string, unknown> = {}, expiryMs?: number): Backend {
  const spec = ModelSpecSchema.parse({ model_name: 'fake-model', backend: 'openai_compatible', base_url: server.baseURL, ...fields });
  return withCache(spec, { dir, now: () => clock, ...(expiryMs !== undefined ? { expiryMs } : {}) })(fakeModelBackend(server.baseURL, fields));
}
const ask = (backend: Backend, args: GenerationArgs = { temperature: 0 }) => backend.generate({ messages: hello, args });

beforeEach(async () => {
  server = await startOpenAIServer({ reply: ({ choiceIndex, requestIndex }) => `reply ${requestIndex}.${choiceIndex}` });
  dir = tmp.make();
  clock = Date.parse('2026-01-01T00:00:00Z');
});
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

describe('withCache', () => {
  it('answers a repeated request from disk: no call, usage and latency 0, the original ones kept apart', async () => {
    const first = await ask(cached());
    const again = await ask(cached()); // a new run: a new wrapper over the same folder
    expect(server.requestCount()).toBe(1);
    expect(again.choices).toEqual(first.choices);
    expect([again.usage, again.latencyMs, again.costUsd]).toEqual([{ inputTokens: 0, outputTokens: 0 }, 0, 0]);
    expect(again.cache).toMatchObject({ createdAt: '2026-01-01T00:00:00.000Z', usage: first.usage, latencyMs: first.latencyMs });
    expect(again.call).toEqual(first.call);
    const [shard] = readdirSync(dir);
    const files = readdirSync(join(dir, shard!));
    expect(files).toEqual([`${again.cache!.key}-0.json`]);
    expect(CacheEntrySchema.parse(JSON.parse(readFileSync(join(dir, shard!, files[0]!), 'utf8'))).choice.text).toBe('reply 0.0');
  });

  it('misses when anything that determines the reply differs', async () => {
    await ask(cached());
    await ask(cached(), { temperature: 0, maxTokens: 5 });
    await ask(cached(), { temperature: 0, seed: 3 });
    await ask(cached({ model_id: 'other' }));
    await ask(cached({ model_config: { extra_body: { top_k: 2 } } }));
    await ask(cached({ base_url: [server.baseURL, 'http://127.0.0.1:9/v1'] }));
    expect(server.requestCount()).toBe(6);
    // model_config.http does not change a reply.
    await ask(cached({ model_config: { http: { keep_alive: false } } }));
    expect(server.requestCount()).toBe(6);
  });

  it('caches each sample: n = 3 after n = 1 asks the server for the 2 missing ones only', async () => {
    await ask(cached(), { temperature: 0, n: 1 });
    const three = await ask(cached(), { temperature: 0, n: 3 });
    expect(server.requests.map((r) => r.body?.n)).toEqual([undefined, 2]);
    expect(three.choices.map((c) => c.text)).toEqual(['reply 0.0', 'reply 1.0', 'reply 1.1']);
    expect((await ask(cached(), { temperature: 0, n: 3 })).cache).toBeDefined();
    expect(server.requestCount()).toBe(2);
  });

  it('gives identical sampled requests of one run distinct samples, and replays them in the next run', async () => {
    const run1 = cached();
    const a = await ask(run1, { temperature: 0.7 });
    const b = await ask(run1, { temperature: 0.7 });
    expect([a.choices[0]!.text, b.choices[0]!.text]).toEqual(['reply 0.0', 'reply 1.0']);
    const run2 = cached();
    const replay = [await ask(run2, { temperature: 0.7 }), await ask(run2, { temperature: 0.7 })];
    expect(replay.map((r) => [r.choices[0]!.text, r.cache !== undefined])).toEqual([
      ['reply 0.0', true],
      ['reply 1.0', true],
    ]);
    expect(server.requestCount()).toBe(2);
  });

  it('treats a request as deterministic when the registry gives a default seed', async () => {
    const oneRun = cached({ generation: { seed: 5 } });
    await ask(oneRun, { temperature: 0.7 });
    await ask(oneRun, { temperature: 0.7 });
    expect(server.requestCount()).toBe(1);
  });

  it('ignores and replaces entries older than the expiry', async () => {
    await ask(cached({}, 60_000));
    clock += 60_001;
    const stale = await ask(cached({}, 60_000));
    expect(stale.cache).toBeUndefined();
    expect(server.requestCount()).toBe(2);
    expect((await ask(cached({}, 60_000))).choices[0]!.text).toBe('reply 1.0');
  });

  it('reads durations', () => {
    expect([parseDuration('90'), parseDuration('15m'), parseDuration('12h'), parseDuration('7d'), parseDuration('soon')]).toEqual([90_000, 900_000, 43_200_000, 604_800_000, undefined]);
  });
});
