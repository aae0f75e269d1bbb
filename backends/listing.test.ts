import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../base/errors.js';
import { run } from '../core/runner.js';
import { KeyRing } from '../registry/keys.js';
import { ModelRegistryFileSchema } from '../registry/model-registry.js';
import { parseJsonFile } from '../registry/parse.js';
import { packageRoot } from '../registry/package-root.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { BACKENDS, createBackend, isLocalUrl, listBackends, UNSUPPORTED_BACKENDS } from './index.js';

const file = join(packageRoot(), 'test', 'fixtures', 'clemcore', 'model_registry.json');
const registry = parseJsonFile(ModelRegistryFileSchema, file, readFileSync(file, 'utf8'));
const keys = new KeyRing({ openai_compatible: { base_url: 'http://127.0.0.1:8000/v1', source: 'key.json' } }, {
  OPENAI_API_KEY: 'sk-1',
  OPENROUTER_API_KEY: 'sk-2',
  ANTHROPIC_API_KEY: 'sk-3',
  GOOGLE_API_KEY: 'g-4',
  MISTRAL_API_KEY: 'm-5',
  CO_API_KEY: 'c-6',
});
const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe("clemcore's packaged model registry", () => {
  it('loads unchanged: 18 entries, clemcore-only keys kept', () => {
    expect(registry).toHaveLength(18);
    expect(registry[0]).toMatchObject({ model_name: 'slurk', backend: 'slurk', response_timout: 300, bot_name: 'Game Master' });
  });

  it('creates every API model, refuses slurk as unsupported, and knows the local backends', async () => {
    const outcomes: Record<string, string> = {};
    for (const spec of registry) {
      if (spec.backend === 'huggingface_local' || spec.backend === 'llamacpp') {
        outcomes[spec.backend] = BACKENDS[spec.backend] ? 'known' : 'unknown';
        continue;
      }
      const result = await createBackend(spec, { keys, cacheDir: '/nonexistent' }).then(
        async (b) => {
          await b.close();
          return 'created';
        },
        (e: unknown) => (e instanceof ConfigError ? `refused: ${e.message}` : `failed: ${String(e)}`),
      );
      outcomes[spec.backend] = outcomes[spec.backend] ?? result;
    }
    expect(outcomes).toEqual({
      slurk: `refused: slurk: backend 'slurk' is not supported by clem-ts: ${UNSUPPORTED_BACKENDS.slurk}.`,
      openai_compatible: 'created',
      openrouter: 'created',
      openai: 'created',
      anthropic: 'created',
      google: 'created',
      mistral: 'created',
      cohere: 'created',
      huggingface_local: 'known',
      llamacpp: 'known',
    });
  });

  it('refuses a run with slurk before anything is written', async () => {
    const cwd = tmp.make();
    writeFileSync(join(cwd, 'model_registry.json'), readFileSync(file, 'utf8'));
    const resultsDir = join(cwd, 'results');
    await expect(run({ games: ['20q'], models: ['slurk'], resultsDir, cwd, env: { HOME: cwd } })).rejects.toThrow(/backend 'slurk' is not supported by clem-ts/);
    expect(existsSync(resultsDir)).toBe(false);
  });
});

describe('listBackends', () => {
  it('marks keyed backends inactive without a key, active with one, and lists slurk as unsupported', () => {
    const none = listBackends(BACKENDS, registry, KeyRing.empty({}));
    const state = (list: typeof none, name: string) => list.find((b) => b.name === name)?.state;
    expect(['openai', 'anthropic', 'google', 'mistral', 'cohere', 'openrouter'].map((n) => state(none, n))).toEqual(Array(6).fill('inactive'));
    expect(none.find((b) => b.name === 'cohere')?.note).toBe('no key: set COHERE_API_KEY or CO_API_KEY, or "cohere": {"api_key": ...} in key.json');
    expect(['openai_compatible', 'huggingface_local', 'programmatic'].map((n) => state(none, n))).toEqual(['active', 'active', 'active']);
    expect(['slurk', 'llamacpp'].map((n) => state(none, n))).toEqual(['unsupported', 'active']);
    const keyed = listBackends(BACKENDS, registry, keys);
    expect(state(keyed, 'anthropic')).toBe('active');
  });

  it('marks a keyed backend active when all its models are local servers with requires_api_key false', () => {
    const local = [
      { model_name: 'a', backend: 'openai', base_url: 'http://127.0.0.1:8080/v1', model_config: { requires_api_key: false } },
      { model_name: 'b', backend: 'openai', base_url: ['http://192.168.1.5:8000/v1', 'http://localhost:8001/v1'], model_config: { requires_api_key: false } },
    ];
    expect(listBackends(BACKENDS, local, KeyRing.empty({})).find((b) => b.name === 'openai')?.state).toBe('active');
    const mixed = [...local, { model_name: 'c', backend: 'openai', model_id: 'gpt-4o' }];
    expect(listBackends(BACKENDS, mixed, KeyRing.empty({})).find((b) => b.name === 'openai')?.state).toBe('inactive');
    expect([isLocalUrl('http://10.0.0.2/v1'), isLocalUrl('https://api.openai.com/v1'), isLocalUrl('http://[::1]:80/v1')]).toEqual([true, false, true]);
  });
});
