import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { createModel } from '../index.js';
import { createMistralBackend } from './index.js';

/**
 * A loopback server speaking Mistral's chat API: /v1/chat/completions with a bearer key, `random_seed` (it
 * refuses unknown fields such as `seed` with 422 extra_forbidden), and errors as {"message": …} or
 * {"object": "error", "message": …}.
 */
const KEY = 'mistral-test-0123456789abcdef';
const hello = [{ role: 'user' as const, content: 'Is it an animal?' }];
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
});

async function start() {
  server = await startOpenAIServer({
    path: '/v1/chat/completions',
    auth: { key: KEY, body: { message: 'Unauthorized', request_id: 'r1' } },
    refuseFields: {
      fields: ['seed', 'max_completion_tokens'],
      body: (field) => ({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_message_error', code: null }),
    },
  });
  return ModelSpecSchema.parse({ model_name: 'mistral-small', backend: 'mistral', model_id: 'mistral-small-latest', base_url: server.baseURL });
}
const deps = (env: NodeJS.ProcessEnv = { MISTRAL_API_KEY: KEY }) => ({ keys: KeyRing.empty(env), cacheDir: '/nonexistent' });

describe('mistral backend against a Mistral chat API server', () => {
  it('sends random_seed and max_tokens (Mistral refuses seed) with the key from MISTRAL_API_KEY', async () => {
    const result = await createMistralBackend(await start(), deps()).generate({ messages: hello, args: { temperature: 0.2, maxTokens: 50, seed: 9 } });
    expect(server.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]!.body).toEqual({ model: 'mistral-small-latest', messages: hello, temperature: 0.2, max_tokens: 50, random_seed: 9 });
    expect(result.choices[0]!.text).toBe('echo: Is it an animal?');
  });

  it('maps its rate limit (retried with backoff) and a refused key', async () => {
    const spec = await start();
    server.setFaults({ queue: [{ kind: 'raw', status: 429, body: JSON.stringify({ message: 'Requests rate limit exceeded' }) }] });
    const waits: number[] = [];
    const model = await createModel(spec, deps(), { retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 } });
    expect((await model.generate({ messages: hello, args: {} })).choices[0]!.text).toBe('echo: Is it an animal?');
    expect(waits).toEqual([500]);
    const bad = (await createMistralBackend(spec, deps({ MISTRAL_API_KEY: 'wrong-key-00000000' })).generate({ messages: hello, args: {} }).catch((e: unknown) => e)) as BackendError;
    expect([bad.status, bad.retryable]).toEqual([401, false]);
    expect(bad.message).toMatch(/HTTP 401 \(unauthorized\) from .*: Unauthorized\. Check the API key for backend 'mistral' \(the key in use came from env:MISTRAL_API_KEY\)\.$/);
  });
});
