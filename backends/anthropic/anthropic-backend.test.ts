import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { startAnthropicServer, type AnthropicFault, type AnthropicServer } from '../../test/fixtures/anthropic-server.js';
import type { Backend } from '../backend.js';
import { ContextExceededError } from '../context.js';
import { createModel } from '../index.js';
import { createAnthropicBackend } from './index.js';

const KEY = 'sk-ant-test-0123456789abcdef';
const chat = [
  { role: 'system' as const, content: 'You are the Questioner.' },
  { role: 'user' as const, content: 'Think of a word.' },
  { role: 'user' as const, content: 'Ready?' },
  { role: 'assistant' as const, content: 'Is it an animal?' },
  { role: 'user' as const, content: 'Yes.' },
];

let server: AnthropicServer;
beforeEach(async () => {
  server = await startAnthropicServer({ key: KEY, cacheReadTokens: 2 });
});
afterEach(async () => {
  await server.close();
});

function backend(fields: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: KEY }): Backend {
  const spec = ModelSpecSchema.parse({ model_name: 'claude', backend: 'anthropic', model_id: 'claude-sonnet-4-5', base_url: server.baseURL, ...fields });
  return createAnthropicBackend(spec, { keys: KeyRing.empty(env), cacheDir: '/nonexistent' });
}

async function failure(fault: AnthropicFault): Promise<Error> {
  server.queueFaults([fault]);
  return backend().generate({ messages: chat, args: { maxTokens: 20 } }).then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
}

describe('anthropic backend against a Messages API server', () => {
  it('sends the native format with the key and API version, and reads text, stop reason, usage and cost', async () => {
    const result = await backend({ pricing: { input_per_mtok: 3, output_per_mtok: 15 } }).generate({ messages: chat, args: { temperature: 0, maxTokens: 3, stop: ['\n'] } });
    const received = server.requests[0]!;
    expect(received.path).toBe('/v1/messages');
    expect(received.headers['x-api-key'] ?? received.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(received.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(received.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 3,
      system: 'You are the Questioner.',
      messages: [
        { role: 'user', content: 'Think of a word.\n\nReady?' },
        { role: 'assistant', content: 'Is it an animal?' },
        { role: 'user', content: 'Yes.' },
      ],
      temperature: 0,
      stop_sequences: ['\n'],
    });
    expect(result.choices).toEqual([{ text: 'echo: Yes.', finish: 'stop', rawFinish: 'end_turn' }]);
    // 4 + 5 + 4 + 1 prompt words, 2 of them read from the prompt cache: all count as prompt tokens.
    expect(result.usage).toEqual({ inputTokens: 14, outputTokens: 2 });
    expect(result.costUsd).toBeCloseTo((14 * 3 + 2 * 15) / 1e6, 12);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it("adds 4000 thinking tokens with clemcore's thinking_mode and returns the thinking as reasoning", async () => {
    const result = await backend({ model_config: { thinking_mode: true } }).generate({ messages: chat, args: { temperature: 0, maxTokens: 1 } });
    expect(server.requests[0]!.body).toMatchObject({ max_tokens: 4001, thinking: { type: 'enabled', budget_tokens: 4000 } });
    expect(server.requests[0]!.body).not.toHaveProperty('temperature');
    expect(result.choices[0]).toMatchObject({ text: 'echo: Yes.', reasoning: 'Let me think.', finish: 'stop' });
    expect(result.warnings).toEqual(['temperature 0 not sent: extended thinking (model_config.thinking_mode) accepts only the default']);
  });

  it('maps rate limits, overload, bad keys and too-long prompts', async () => {
    const limited = (await failure({ status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit', retryAfter: '12' })) as BackendError;
    expect([limited.status, limited.retryable, limited.retryAfterMs]).toEqual([429, true, 12_000]);
    expect(limited.message).toMatch(/^claude: HTTP 429 \(rate limited\) from http:\/\/127\.0\.0\.1:\d+\/v1\/messages: Number of request tokens has exceeded your per-minute rate limit\. Retry-After: 12 s\./);
    const overloaded = (await failure({ status: 529, type: 'overloaded_error', message: 'Overloaded' })) as BackendError;
    expect([overloaded.status, overloaded.retryable]).toEqual([529, true]);
    const tooLong = await failure({ status: 400, type: 'invalid_request_error', message: 'prompt is too long: 201234 tokens > 200000 maximum' });
    expect(tooLong).toBeInstanceOf(ContextExceededError);
    const badKey = (await backend({}, { ANTHROPIC_API_KEY: 'sk-ant-wrong-0000000000' }).generate({ messages: chat, args: { maxTokens: 5 } }).catch((e: unknown) => e)) as BackendError;
    expect([badKey.status, badKey.retryable]).toEqual([401, false]);
    expect(badKey.message).toContain("invalid x-api-key. Check the API key for backend 'anthropic' (the key in use came from env:ANTHROPIC_API_KEY)");
  });

  it('is retried by the shared wrappers: a 429 then a 529, then the reply', async () => {
    server.queueFaults([
      { status: 429, type: 'rate_limit_error', message: 'slow down', retryAfter: '1' },
      { status: 529, type: 'overloaded_error', message: 'Overloaded' },
    ]);
    const waits: number[] = [];
    const spec = ModelSpecSchema.parse({ model_name: 'claude', backend: 'anthropic', base_url: server.baseURL });
    const model = await createModel(spec, { keys: KeyRing.empty({ ANTHROPIC_API_KEY: KEY }), cacheDir: '/nonexistent' }, { retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 } });
    const result = await model.generate({ messages: chat, args: { maxTokens: 5 } });
    expect(result.choices[0]!.text).toBe('echo: Yes.');
    expect(waits).toEqual([1000, 1000]);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses the hosted API without a key', () => {
    const spec = ModelSpecSchema.parse({ model_name: 'claude', backend: 'anthropic', model_id: 'claude-sonnet-4-5' });
    expect(() => createAnthropicBackend(spec, { keys: KeyRing.empty({}), cacheDir: '/nonexistent' })).toThrow(
      `claude: no API key for backend 'anthropic'. Set ANTHROPIC_API_KEY or add {"anthropic": {"api_key": "..."}} to key.json.`,
    );
  });
});
