import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { createModel } from '../index.js';
import { createCohereBackend } from './index.js';

/**
 * A loopback server speaking Cohere's Compatibility API: /compatibility/v1/chat/completions with a bearer key,
 * errors as {"id": …, "message": …} (429 for a trial key's per-minute limit, 401 for a bad token).
 */
const KEY = 'co-test-0123456789abcdef';
const hello = [{ role: 'user' as const, content: 'Is it an animal?' }];
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
});

async function start() {
  server = await startOpenAIServer({ path: '/compatibility/v1/chat/completions', auth: { key: KEY, body: { id: 'e1', message: 'invalid api token' } } });
  return ModelSpecSchema.parse({ model_name: 'command-r', backend: 'cohere', model_id: 'command-r-08-2024', base_url: `http://127.0.0.1:${server.listener.port}/compatibility/v1` });
}
const deps = (env: NodeJS.ProcessEnv = { CO_API_KEY: KEY }) => ({ keys: KeyRing.empty(env), cacheDir: '/nonexistent' });

describe('cohere backend against a Cohere Compatibility API server', () => {
  it('sends the chat with the key from CO_API_KEY, and retries its trial-key rate limit', async () => {
    const spec = await start();
    server.setFaults({
      queue: [{ kind: 'raw', status: 429, body: JSON.stringify({ id: 'e2', message: 'You are using a Trial key, which is limited to 10 API calls / minute.' }), headers: { 'retry-after': '6' } }],
    });
    const waits: number[] = [];
    const model = await createModel(spec, deps(), { retry: { sleep: async (ms) => void waits.push(ms) } });
    const result = await model.generate({ messages: hello, args: { maxTokens: 20 } });
    expect(waits).toEqual([6000]);
    expect(server.requests.map((r) => r.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(server.requests[1]!.body).toEqual({ model: 'command-r-08-2024', messages: hello, max_tokens: 20 });
    expect([result.choices[0]!.text, result.usage]).toEqual(['echo: Is it an animal?', { inputTokens: 4, outputTokens: 5 }]);
  });

  it('does not retry a bad token, and says where the key came from', async () => {
    const spec = await start();
    const e = (await createCohereBackend(spec, deps({ COHERE_API_KEY: 'co-wrong-000000000' })).generate({ messages: hello, args: {} }).catch((err: unknown) => err)) as BackendError;
    expect([e.status, e.retryable]).toEqual([401, false]);
    expect(e.message).toMatch(/: invalid api token\. Check the API key for backend 'cohere' \(the key in use came from env:COHERE_API_KEY\)\.$/);
  });
});
