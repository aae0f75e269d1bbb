import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, ConfigError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { createModel, listBackends, BACKENDS } from '../index.js';
import { createAzureBackend } from './index.js';

/**
 * A loopback server speaking Azure OpenAI's deployment API: /openai/deployments/<deployment>/chat/completions
 * with `?api-version=…`, the key in the `api-key` header, errors as {"error": {"code": "429", "message": …}}
 * with Retry-After on its rate limit, 401 for a wrong key.
 */
const KEY = 'azure-test-0123456789abcdef';
const hello = [{ role: 'user' as const, content: 'Is it an animal?' }];
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
});

const error = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

async function start() {
  server = await startOpenAIServer({ path: '/openai/deployments/gpt-4o-mini/chat/completions' });
  const base_url = `http://127.0.0.1:${server.listener.port}/openai/deployments/gpt-4o-mini?api-version=2024-10-21`;
  return ModelSpecSchema.parse({ model_name: 'gpt-4o-mini-azure', backend: 'azure', model_id: 'gpt-4o-mini', base_url });
}
const deps = (env: NodeJS.ProcessEnv = { AZURE_OPENAI_API_KEY: KEY }) => ({ keys: KeyRing.empty(env), cacheDir: '/nonexistent' });

describe('azure backend against an Azure OpenAI deployment server', () => {
  it('sends the key in api-key (no bearer token) with the api-version, and waits out its rate limit', async () => {
    const spec = await start();
    server.setFaults({
      queue: [{ kind: 'raw', status: 429, body: error('429', 'Requests to the ChatCompletions_Create Operation have exceeded the token rate limit.'), headers: { 'retry-after': '7' } }],
    });
    const waits: number[] = [];
    const model = await createModel(spec, deps(), { retry: { sleep: async (ms) => void waits.push(ms) } });
    const result = await model.generate({ messages: hello, args: { maxTokens: 20 } });
    expect(waits).toEqual([7000]);
    expect(server.requests.map((r) => [r.path, r.authorization, r.headers['api-key']])).toEqual(
      Array(2).fill(['/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21', undefined, KEY]),
    );
    expect(server.requests[1]!.body).toEqual({ model: 'gpt-4o-mini', messages: hello, max_tokens: 20 });
    expect([result.choices[0]!.text, result.usage]).toEqual(['echo: Is it an animal?', { inputTokens: 4, outputTokens: 5 }]);
    await model.close();
  });

  it('does not retry a wrong key, and says where the key came from without printing it', async () => {
    const spec = await start();
    server.setFaults({ queue: [{ kind: 'raw', status: 401, body: error('401', 'Access denied due to invalid subscription key or wrong API endpoint.') }] });
    const backend = createAzureBackend(spec, deps());
    const e = (await backend.generate({ messages: hello, args: {} }).catch((err: unknown) => err)) as BackendError;
    expect([e instanceof BackendError, e.status, e.retryable]).toEqual([true, 401, false]);
    expect(e.message).toMatch(/Access denied due to invalid subscription key.*the key in use came from env:AZURE_OPENAI_API_KEY/);
    expect(e.message).not.toContain(KEY);
    await backend.close();
  });

  it('needs a key and a base URL, and is listed as inactive without a key', async () => {
    const spec = await start();
    expect(() => createAzureBackend(spec, deps({}))).toThrow(ConfigError);
    expect(() => createAzureBackend(spec, deps({}))).toThrow("no API key for backend 'azure'. Set AZURE_OPENAI_API_KEY");
    expect(() => createAzureBackend(ModelSpecSchema.parse({ model_name: 'a', backend: 'azure' }), deps())).toThrow("no base URL for backend 'azure'");
    const state = (env: NodeJS.ProcessEnv) => listBackends(BACKENDS, [spec], KeyRing.empty(env)).find((b) => b.name === 'azure')?.state;
    expect([state({}), state({ AZURE_OPENAI_API_KEY: KEY })]).toEqual(['inactive', 'active']);
  });
});
