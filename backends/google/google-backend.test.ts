import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import { ContextExceededError } from '../context.js';
import { createModel } from '../index.js';
import { createGoogleBackend } from './index.js';

/**
 * A loopback server speaking Gemini's OpenAI-compatible endpoint: the route under /v1beta/openai, the key as a
 * bearer token, and errors as Google sends them there: a list holding one {"error": {code, message, status}},
 * the 429's wait as RetryInfo in the body rather than a Retry-After header.
 */
const KEY = 'AIza-test-0123456789abcdef';
const googleError = (code: number, status: string, message: string, details: unknown[] = []) => JSON.stringify([{ error: { code, message, status, details } }]);
const hello = [{ role: 'user' as const, content: 'Is it an animal?' }];

let server: OpenAIServer;
afterEach(async () => {
  await server.close();
});

async function start() {
  server = await startOpenAIServer({
    path: '/v1beta/openai/chat/completions',
    auth: { key: KEY, status: 400, body: [{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }] },
  });
  return ModelSpecSchema.parse({ model_name: 'gemini', backend: 'google', model_id: 'gemini-2.5-flash', base_url: `http://127.0.0.1:${server.listener.port}/v1beta/openai/` });
}
const keys = (env: NodeJS.ProcessEnv = { GEMINI_API_KEY: KEY }) => ({ keys: KeyRing.empty(env), cacheDir: '/nonexistent' });

describe('google backend against a Gemini OpenAI-compatible server', () => {
  it('sends the chat with the key from GEMINI_API_KEY and reads the reply and usage', async () => {
    const result = await createGoogleBackend(await start(), keys()).generate({ messages: hello, args: { temperature: 0, maxTokens: 30, seed: 4 } });
    expect(server.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]!.body).toEqual({ model: 'gemini-2.5-flash', messages: hello, temperature: 0, max_tokens: 30, seed: 4 });
    expect([result.choices[0]!.text, result.usage]).toEqual(['echo: Is it an animal?', { inputTokens: 4, outputTokens: 5 }]);
  });

  it("reads Google's errors: a 429 waits the RetryInfo delay, a bad key and an over-long prompt are not retried", async () => {
    const spec = await start();
    server.setFaults({
      queue: [
        { kind: 'raw', status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }]) },
        { kind: 'raw', status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).') },
      ],
    });
    const backend = createGoogleBackend(spec, keys());
    const limited = (await backend.generate({ messages: hello, args: {} }).catch((e: unknown) => e)) as BackendError;
    expect([limited.status, limited.retryable, limited.retryAfterMs]).toEqual([429, true, 7000]);
    expect(limited.message).toMatch(/: Resource has been exhausted \(e\.g\. check quota\)\. Retry-After: 7 s\./);
    expect(await backend.generate({ messages: hello, args: {} }).catch((e: unknown) => e)).toBeInstanceOf(ContextExceededError);
    const badKey = (await createGoogleBackend(spec, keys({ GOOGLE_API_KEY: 'AIza-wrong-000000000' })).generate({ messages: hello, args: {} }).catch((e: unknown) => e)) as BackendError;
    expect([badKey.status, badKey.retryable]).toEqual([400, false]);
    expect(badKey.message).toContain('API key not valid. Please pass a valid API key');
  });

  it('is retried by the shared wrappers after a 503', async () => {
    const spec = await start();
    server.setFaults({ queue: [{ kind: 'raw', status: 503, body: googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.') }] });
    const waits: number[] = [];
    const model = await createModel(spec, keys(), { retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 } });
    expect((await model.generate({ messages: hello, args: {} })).choices[0]!.text).toBe('echo: Is it an animal?');
    expect(waits).toEqual([500]);
  });

  it('refuses the hosted endpoint without a key', () => {
    const spec = ModelSpecSchema.parse({ model_name: 'gemini', backend: 'google', model_id: 'gemini-2.5-flash' });
    expect(() => createGoogleBackend(spec, keys({}))).toThrow(`gemini: no API key for backend 'google'. Set GOOGLE_API_KEY or add {"google": {"api_key": "..."}} to key.json.`);
  });
});
