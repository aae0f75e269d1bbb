import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { importNodeLlamaCpp } from './llamacpp/binding.js';
import { importLocalRuntime, LOCAL_RUNTIMES_INSTALL } from './local-runtimes.js';

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

/** Writes node_modules/NAME/package.json (and its entry file) under `root`: an installed package, as Node resolves it. */
function installFake(root: string, name: string, pkg: Record<string, unknown>): void {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', ...pkg }));
  writeFileSync(join(dir, 'index.js'), '');
}

/** The message a first use gives when `load` fails (the backends' own import wrappers). */
async function firstUseMessage(load: Promise<unknown>): Promise<string> {
  return load.then(() => 'loaded', (e: unknown) => (e instanceof ConfigError ? e.message : `failed: ${String(e)}`));
}

describe('listBackends: local backends on optional packages', () => {
  const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /x.js`), { code: 'ERR_MODULE_NOT_FOUND' });

  it('marks transformers, huggingface_local and llamacpp inactive where their packages do not resolve, with the first-use message', async () => {
    const project = tmp.make();
    const listing = listBackends(BACKENDS, registry, keys, join(project, 'index.js'));
    const row = (name: string) => listing.find((b) => b.name === name);
    expect(['transformers', 'huggingface_local', 'llamacpp'].map((n) => row(n)?.state)).toEqual(['inactive', 'inactive', 'inactive']);
    expect(['openai', 'programmatic'].map((n) => row(n)?.state)).toEqual(['active', 'active']);

    const llama = await firstUseMessage(importNodeLlamaCpp('m', () => Promise.reject(notFound('node-llama-cpp'))));
    expect(llama).toBe('m: the llamacpp backend needs node-llama-cpp, an optional dependency that is not installed. Add it with `npm install node-llama-cpp@3.21.1`.');
    expect(row('llamacpp')?.note).toBe(llama.replace(/^m: /, ''));

    const hf = await firstUseMessage(importLocalRuntime('the transformers backend', () => Promise.reject(notFound('@huggingface/transformers'))));
    expect(hf).toContain(LOCAL_RUNTIMES_INSTALL);
    expect(row('transformers')?.note).toBe(hf);
    expect(row('huggingface_local')?.note).toBe(hf.replace('the transformers backend', 'the huggingface_local backend'));
  });

  it('names the one local runtime missing, and counts an import-only package as installed', () => {
    const project = tmp.make();
    installFake(project, '@huggingface/transformers', { main: 'index.js' });
    installFake(project, 'node-llama-cpp', { type: 'module', exports: { '.': { import: './index.js' } } });
    const from = join(project, 'src', 'index.js');
    const row = (list: ReturnType<typeof listBackends>, name: string) => list.find((b) => b.name === name);
    const half = listBackends(BACKENDS, registry, keys, from);
    expect(row(half, 'transformers')?.state).toBe('inactive');
    expect(row(half, 'transformers')?.note).toMatch(/^the transformers backend needs the local runtimes .*, and onnxruntime-node is not installed\. Add them to your project with: npm install /);
    expect(row(half, 'llamacpp')).toMatchObject({ state: 'active' });
    installFake(project, 'onnxruntime-node', { main: 'index.js' });
    expect(row(listBackends(BACKENDS, registry, keys, from), 'transformers')?.state).toBe('active');
  });
});
