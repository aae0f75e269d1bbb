import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema, type ModelSpec } from '../../registry/model-spec.js';
import { startOpenAIServer, type OpenAIServer } from '../../test/fixtures/openai-server.js';
import type { BackendDeps } from '../deps.js';
import { createOpenAIBackend } from './index.js';
import { prefersMaxCompletionTokens } from './profile.js';

const KEY = 'sk-test-0123456789abcdef';

function spec(fields: Record<string, unknown>): ModelSpec {
  return ModelSpecSchema.parse({ model_name: 'fake-model', backend: 'openai_compatible', ...fields });
}

function deps(env: NodeJS.ProcessEnv = { OPENAI_COMPATIBLE_API_KEY: KEY }, extra: Partial<BackendDeps> = {}): BackendDeps {
  return { keys: KeyRing.empty(env), cacheDir: '/nonexistent', ...extra };
}

const hello = [
  { role: 'system' as const, content: 'You are a player.' },
  { role: 'user' as const, content: 'Is it an animal?' },
];

let server: OpenAIServer;
beforeEach(async () => {
  server = await startOpenAIServer();
});
afterEach(async () => {
  await server.close();
});

describe('createOpenAIBackend: requests', () => {
  it('sends every generation argument and extra_body, and the key only as the bearer token', async () => {
    let clock = 1000;
    const backend = createOpenAIBackend(
      spec({ model_id: 'provider/model-7b', base_url: server.baseURL, model_config: { extra_body: { top_k: 5, chat_template_kwargs: { enable_thinking: false } } } }),
      deps(undefined, { now: () => (clock += 250) }),
    );
    const result = await backend.generate({
      messages: hello,
      args: { temperature: 0.7, maxTokens: 16, topP: 0.9, stop: ['\n\n'], seed: 7, n: 2, logprobs: true, topLogprobs: 2 },
    });

    expect(server.requests).toHaveLength(1);
    const received = server.requests[0]!;
    expect(received.path).toBe('/v1/chat/completions');
    expect(received.authorization).toBe(`Bearer ${KEY}`);
    expect(received.body).toEqual({
      model: 'provider/model-7b',
      messages: hello,
      temperature: 0.7,
      max_tokens: 16,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      n: 2,
      logprobs: true,
      top_logprobs: 2,
      top_k: 5,
      chat_template_kwargs: { enable_thinking: false },
    });
    expect(result.call.request).toEqual(received.body);
    expect(JSON.stringify(result)).not.toContain(KEY);

    expect(result.choices.map((c) => c.text)).toEqual(['echo: Is it an animal?', 'echo 1: Is it an animal?']);
    expect(result.choices[0]).toMatchObject({ finish: 'stop', rawFinish: 'stop' });
    expect(result.choices[0]!.logprobs).toEqual([
      { token: 'echo:', logprob: -0.25, top: [{ token: 'echo:', logprob: -0.25 }, { token: 'echo:~1', logprob: -1.25 }] },
      { token: 'Is', logprob: -0.5, top: [{ token: 'Is', logprob: -0.5 }, { token: 'Is~1', logprob: -1.5 }] },
      { token: 'it', logprob: -0.75, top: [{ token: 'it', logprob: -0.75 }, { token: 'it~1', logprob: -1.75 }] },
      { token: 'an', logprob: -1, top: [{ token: 'an', logprob: -1 }, { token: 'an~1', logprob: -2 }] },
      { token: 'animal?', logprob: -1.25, top: [{ token: 'animal?', logprob: -1.25 }, { token: 'animal?~1', logprob: -2.25 }] },
    ]);
    // The fake server counts whitespace-separated words: 4 + 4 prompt, 5 + 6 completion.
    expect(result.usage).toEqual({ inputTokens: 8, outputTokens: 11 });
    expect(result.latencyMs).toBe(250);
    expect(result.warnings).toEqual([]);
    expect(result.costUsd).toBeNull();
    expect(result.call.response).toMatchObject({ id: 'chatcmpl-0', model: 'provider/model-7b' });
  });

  it('sends only what was given, falling back to the registry generation defaults', async () => {
    const backend = createOpenAIBackend(
      spec({ base_url: server.baseURL, generation: { temperature: 0, max_tokens: 300, seed: 1 } }),
      deps(),
    );
    await backend.generate({ messages: hello, args: { maxTokens: 20 } });
    expect(server.requests[0]!.body).toEqual({ model: 'fake-model', messages: hello, temperature: 0, max_tokens: 20, seed: 1 });
  });

  it('sends max_tokens to any server but OpenAI\'s own, even for backend openai (llama.cpp ignores max_completion_tokens)', async () => {
    const backend = createOpenAIBackend(spec({ backend: 'openai', model_id: 'gpt-4o', base_url: server.baseURL }), deps({ OPENAI_API_KEY: KEY }));
    await backend.generate({ messages: hello, args: { maxTokens: 5 } });
    expect(server.requests[0]!.body).toEqual({ model: 'gpt-4o', messages: hello, max_tokens: 5 });
    expect(prefersMaxCompletionTokens('https://api.openai.com/v1', false)).toBe(true);
    expect(prefersMaxCompletionTokens('https://me.openai.azure.com/openai/deployments/o1', true)).toBe(true);
    expect(prefersMaxCompletionTokens('https://me.openai.azure.com/openai/deployments/gpt-4o', false)).toBe(false);
    expect(prefersMaxCompletionTokens('http://127.0.0.1:8080/v1', true)).toBe(false);
  });

  it('sends model_config.max_tokens_field when given, and drops temperature for reasoning models with a warning', async () => {
    const backend = createOpenAIBackend(
      spec({ backend: 'openai', model_id: 'o4-mini', base_url: server.baseURL, model_config: { reasoning_model: true, max_tokens_field: 'max_completion_tokens' } }),
      deps({ OPENAI_API_KEY: KEY }),
    );
    const result = await backend.generate({ messages: hello, args: { temperature: 0, maxTokens: 64 } });
    expect(server.requests[0]!.body).toEqual({ model: 'o4-mini', messages: hello, max_completion_tokens: 64 });
    expect(result.warnings).toEqual([
      'temperature 0 not sent: reasoning models (model_config.reasoning_model) accept only the default',
    ]);
  });

  it('warns once per model when a reply is longer than the limit (a server that ignores max_completion_tokens, like llama.cpp)', async () => {
    await server.close();
    server = await startOpenAIServer({ honours: ['max_tokens'], reply: () => 'one two three four five six seven eight nine ten eleven' });
    const heard: string[] = [];
    const ignored = createOpenAIBackend(
      spec({ base_url: server.baseURL, model_config: { max_tokens_field: 'max_completion_tokens' } }),
      deps(undefined, { onWarning: (m) => heard.push(m) }),
    );
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await ignored.generate({ messages: hello, args: { maxTokens: 5 } }));
    const expected =
      'the reply has 11 tokens, more than the limit of 5 sent as "max_completion_tokens": the server ignores that field. ' +
      'Set model_config.max_tokens_field to "max_tokens" for fake-model.';
    expect(results.map((r) => r.warnings)).toEqual([[expected], [expected], [expected]]);
    expect(heard).toEqual([`fake-model: ${expected}`]);

    // The default field for a non-OpenAI server is honoured: the reply stops at the limit, no warning.
    const honoured = createOpenAIBackend(spec({ base_url: server.baseURL }), deps(undefined, { onWarning: (m) => heard.push(m) }));
    const cut = await honoured.generate({ messages: hello, args: { maxTokens: 5 } });
    expect([cut.choices[0]!.text, cut.choices[0]!.finish, cut.warnings]).toEqual(['one two three four five', 'length', []]);
    expect(heard).toHaveLength(1);
  });

  it('requests a LoRA adapter by its served name', async () => {
    const byFolder = createOpenAIBackend(spec({ model_id: 'base', base_url: server.baseURL, model_config: { peft_model: '/models/adapters/20q-sft/' } }), deps());
    const byName = createOpenAIBackend(
      spec({ model_id: 'base', base_url: server.baseURL, model_config: { peft_model: '/models/adapters/20q-sft', lora_name: 'sft-v2' } }),
      deps(),
    );
    await byFolder.generate({ messages: hello, args: {} });
    await byName.generate({ messages: hello, args: {} });
    expect(server.requests.map((r) => r.body?.model)).toEqual(['20q-sft', 'sft-v2']);
  });

  it('takes the base URL and key from key.json when the entry has none, and needs no key for a local server', async () => {
    const keys = new KeyRing({ openai_compatible: { base_url: server.baseURL, source: 'key.json' } }, {});
    const backend = createOpenAIBackend(spec({}), { keys, cacheDir: '/nonexistent' });
    await backend.generate({ messages: hello, args: {} });
    expect(server.requests[0]!.authorization).toBe('Bearer none');
  });

  it('reads the openai_compatible key entry for vllm and ollama, or the keyName given', async () => {
    const keys = new KeyRing({ openai_compatible: { base_url: server.baseURL, api_key: 'sk-local', source: 'key.json' } }, {});
    await createOpenAIBackend(spec({ backend: 'vllm' }), { keys, cacheDir: '/nonexistent' }).generate({ messages: hello, args: {} });
    await createOpenAIBackend(spec({ backend: 'my_server' }), { keys, cacheDir: '/nonexistent' }, { keyName: 'openai_compatible' }).generate({
      messages: hello,
      args: {},
    });
    expect(server.requests.map((r) => r.authorization)).toEqual(['Bearer sk-local', 'Bearer sk-local']);
  });

  it('normalises reasoning, finish reasons, missing usage and cost', async () => {
    await server.close();
    server = await startOpenAIServer({
      reply: ({ choiceIndex }) =>
        choiceIndex === 0 ? { text: 'Yes', reasoning: 'It must be a dog.', finishReason: 'length' } : { text: 'No', finishReason: null },
    });
    const backend = createOpenAIBackend(spec({ base_url: server.baseURL, pricing: { input_per_mtok: 2, output_per_mtok: 8 } }), deps());
    const result = await backend.generate({ messages: hello, args: { n: 2 } });
    expect(result.choices).toEqual([
      { text: 'Yes', reasoning: 'It must be a dog.', finish: 'length', rawFinish: 'length' },
      { text: 'No', finish: 'other' },
    ]);
    expect(result.costUsd).toBeCloseTo((8 * 2 + 2 * 8) / 1e6, 12);
  });
});

describe('createOpenAIBackend: the openai SDK as the client', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('sends through the SDK (its headers), reading nothing of the SDK\'s own from the environment', async () => {
    vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-the-sdk-env');
    vi.stubEnv('OPENAI_ORG_ID', 'org-from-env');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj-from-env');
    const backend = createOpenAIBackend(spec({ base_url: server.baseURL }), deps());
    await backend.generate({ messages: hello, args: {} });
    const received = server.requests[0]!;
    expect(received.headers['user-agent']).toMatch(/^OpenAI\/JS \d/);
    expect(received.headers).toMatchObject({ 'x-stainless-retry-count': '0', 'content-type': 'application/json' });
    expect(received.authorization).toBe(`Bearer ${KEY}`);
    expect(received.headers).not.toHaveProperty('openai-organization');
    expect(received.headers).not.toHaveProperty('openai-project');
  });

  it('leaves no abort listener on the caller\'s signal (an episode\'s or a run\'s lives across many calls)', async () => {
    const backend = createOpenAIBackend(spec({ base_url: server.baseURL }), deps());
    const run = new AbortController();
    for (let i = 0; i < 12; i++) await backend.generate({ messages: hello, args: {} }, run.signal);
    await backend.generate({ messages: hello, args: {} }, run.signal).catch(() => undefined);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('lets model_config.http.headers replace the SDK\'s own, and sends the organisation from key.json', async () => {
    const keys = new KeyRing({ openai_compatible: { api_key: KEY, organization: 'org-1', source: 'key.json' } }, {});
    const backend = createOpenAIBackend(spec({ base_url: server.baseURL, model_config: { http: { headers: { 'User-Agent': 'clem-ts-bench' } } } }), {
      keys,
      cacheDir: '/nonexistent',
    });
    await backend.generate({ messages: hello, args: {} });
    expect(server.requests[0]!.headers).toMatchObject({ 'user-agent': 'clem-ts-bench', 'openai-organization': 'org-1' });
  });
});

describe('createOpenAIBackend: odd replies and injected fetch', () => {
  it('warns when the server returns fewer choices than asked for, or no usage', async () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Yes' }, finish_reason: 'stop' }] });
    server.setFaults({ queue: [{ kind: 'malformed', body }] });
    const result = await createOpenAIBackend(spec({ base_url: server.baseURL, pricing: { input_per_mtok: 1, output_per_mtok: 1 } }), deps()).generate({
      messages: hello,
      args: { n: 3 },
    });
    expect(result.choices).toEqual([{ text: 'Yes', finish: 'stop', rawFinish: 'stop' }]);
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(result.costUsd).toBeNull();
    expect(result.warnings).toEqual(['asked for 3 choices, the server returned 1', 'the server reported no usage; token counts are recorded as 0']);
  });

  it('calls through deps.fetch when one is given', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    await createOpenAIBackend(spec({ base_url: server.baseURL }), deps(undefined, { fetch: counting })).generate({ messages: hello, args: {} });
    expect(seen).toEqual([`${server.baseURL}/chat/completions`]);
  });
});

describe('createOpenAIBackend: configuration errors', () => {
  it('refuses an OpenAI-compatible backend without a base URL', () => {
    expect(() => createOpenAIBackend(spec({}), deps())).toThrow(
      new ConfigError(
        `fake-model: no base URL for backend 'openai_compatible'. Set "base_url" in the model entry or in key.json under "openai_compatible" (e.g. "http://127.0.0.1:8000/v1" for a local vLLM server).`,
      ),
    );
  });

  it('refuses the hosted OpenAI API without a key', () => {
    expect(() => createOpenAIBackend(spec({ backend: 'openai', model_id: 'gpt-4o' }), deps({}))).toThrow(
      `fake-model: no API key for backend 'openai'. Set OPENAI_API_KEY or add {"openai": {"api_key": "..."}} to key.json.`,
    );
  });

  it('refuses a malformed clem-ts model_config field', () => {
    expect(() => createOpenAIBackend(spec({ base_url: server.baseURL, model_config: { timeout_ms: -5 } }), deps())).toThrow(
      /^fake-model: model_config\.timeout_ms: /,
    );
  });
});
