import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import type { Backend, ChatMessage } from '../backend.js';
import { writeTinyLlama } from '../onnx/index.js';
import { type ChatTokenizer, loadChatTokenizer } from '../transformers/index.js';
import { createOpenAIBackend } from './index.js';

/**
 * A loopback server that answers like vLLM: /tokenize at the root renders messages with the model's chat
 * template (add_generation_prompt, continue_final_message), /v1/chat/completions returns `prompt_logprobs`
 * (null for the first prompt token, then {token_id: {logprob, rank, decoded_token}}), /v1/completions echoes the
 * prompt's log-probabilities (first one null). Log-probabilities are a known function of position and token.
 */
let root: string;
let chat: ChatTokenizer;
let server: Server;
let baseURL: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let refuse: Set<string>;

const fakeLogprob = (position: number, id: number): number => -((id % 97) / 10) - position / 1000;

function render(messages: ChatMessage[], gen: boolean, open: boolean): number[] {
  if (!open) return gen ? chat.promptIds(messages) : chat.tokenize(messages).ids;
  const text = chat.tokenize(messages).text;
  const last = messages.at(-1)?.content ?? '';
  return chat.encode(text.slice(0, text.lastIndexOf(last) + last.length));
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
  const body = JSON.parse(raw) as Record<string, unknown>;
  const path = req.url ?? '';
  received.push({ path, body });
  const send = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (refuse.has(path)) return send(path === '/tokenize' ? 404 : 400, { object: 'error', message: `refused ${path}`, type: 'BadRequestError', code: 400 });
  const messages = body.messages as ChatMessage[];
  if (path === '/tokenize') {
    const tokens = render(messages, body.add_generation_prompt !== false, body.continue_final_message === true);
    return send(200, { count: tokens.length, max_model_len: 2048, tokens });
  }
  if (path === '/v1/chat/completions') {
    const ids = render(messages, body.add_generation_prompt !== false, false);
    const prompt_logprobs = ids.map((id, t) => (t === 0 ? null : { [String(id)]: { logprob: fakeLogprob(t, id), rank: 3, decoded_token: chat.decode([id]) } }));
    return send(200, {
      id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: ids.length, completion_tokens: 1, total_tokens: ids.length + 1 },
      prompt_logprobs,
    });
  }
  if (path === '/v1/completions') {
    const ids = body.prompt as number[];
    return send(200, {
      id: 'cmpl-1', object: 'text_completion', created: 0, model: body.model,
      choices: [{
        index: 0, text: `${chat.decode(ids)}x`, finish_reason: 'length',
        logprobs: { tokens: [...ids.map((id) => chat.decode([id])), 'x'], token_logprobs: [null, ...ids.slice(1).map((id, t) => fakeLogprob(t + 1, id)), -0.5], text_offset: [], top_logprobs: [] },
      }],
    });
  }
  return send(404, { object: 'error', message: `no route ${path}` });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clem-openai-score-'));
  chat = await loadChatTokenizer(writeTinyLlama(join(root, 'tiny'), { seed: 2, safetensors: false }).dir);
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => handle(req, res, raw));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  received.length = 0;
  refuse = new Set();
});
refuse = new Set();

const backendFor = (fields: Record<string, unknown>): Backend =>
  createOpenAIBackend(ModelSpecSchema.parse({ model_name: 'served', model_id: 'org/model', base_url: baseURL, ...fields }), { keys: KeyRing.empty({}), cacheDir: '/nonexistent' });

const history: ChatMessage[] = [
  { role: 'user', content: 'Guess the word.' },
  { role: 'assistant', content: 'Is it alive?' },
  { role: 'user', content: 'No.' },
];
const continuation = 'Is it a tool?';

/** What the scores must be: the fake log-probabilities at the reply's positions in the local tokenization. */
function expected(endOfTurn: boolean) {
  const t = chat.tokenize([...history, { role: 'assistant', content: continuation }]);
  const span = t.spans.at(-1);
  const from = span?.start ?? 0;
  const to = (span?.end ?? 0) - (endOfTurn ? 0 : 1);
  return { logprobs: t.ids.slice(from, to).map((id, i) => fakeLogprob(from + i, id)), tokens: t.ids.slice(from, to).map((id) => chat.decode([id])) };
}

describe('openai backend score() against a vLLM-like server', () => {
  it('scores a reply and its end-of-turn token from prompt_logprobs (backend vllm)', async () => {
    const backend = backendFor({ backend: 'vllm' });
    expect(backend.capabilities.score).toBe(true);
    const score = await backend.score?.({ messages: history, continuation });
    const want = expected(true);
    expect(score?.tokens).toEqual(want.tokens);
    expect(score?.tokens.join('')).toBe(`${continuation}<|im_end|>`);
    score?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(want.logprobs[i] as number, 10));
    expect(score?.logprob).toBeCloseTo(want.logprobs.reduce((a, b) => a + b, 0), 10);
    const chatCall = received.find((r) => r.path === '/v1/chat/completions');
    expect(chatCall?.body).toMatchObject({ model: 'org/model', add_generation_prompt: false, prompt_logprobs: 0, max_tokens: 1 });
    expect(received.filter((r) => r.path === '/tokenize').map((r) => r.body.continue_final_message ?? false).sort()).toEqual([false, true]);
  });

  it('scores the reply alone with endOfTurn false, and through echo on /v1/completions', async () => {
    const noEot = await backendFor({ backend: 'vllm' }).score?.({ messages: history, continuation, endOfTurn: false });
    expect(noEot?.tokens.join('')).toBe(continuation);
    const echo = await backendFor({ backend: 'openai_compatible', model_config: { score_api: 'echo' } }).score?.({ messages: history, continuation });
    const want = expected(true);
    echo?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(want.logprobs[i] as number, 10));
    expect(echo?.tokens).toEqual(want.tokens);
    expect(received.find((r) => r.path === '/v1/completions')?.body).toMatchObject({ echo: true, logprobs: 1, max_tokens: 1 });
  });

  it('says which servers can score, in capabilities and in the error', async () => {
    const hosted = createOpenAIBackend(ModelSpecSchema.parse({ model_name: 'gpt-4o-mini', backend: 'openai' }), { keys: KeyRing.empty({ OPENAI_API_KEY: 'sk-test' }), cacheDir: '/x' });
    expect(hosted.capabilities.score).toBe(false);
    const err = await hosted.score?.({ messages: history, continuation }).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe(
      "gpt-4o-mini: score() needs log-probabilities of prompt tokens, which backend 'openai' does not give (OpenAI's API, OpenRouter, Ollama and " +
        'llama.cpp return them for generated tokens only). Serve the model with vLLM (backend "vllm", or model_config.score_api "prompt_logprobs" or "echo" ' +
        'for another vLLM-compatible server), or use the transformers backend.',
    );
    expect(received).toEqual([]);
  });

  it('names what to do when the server lacks prompt_logprobs or /tokenize', async () => {
    refuse = new Set(['/v1/chat/completions']);
    await expect(backendFor({ backend: 'vllm' }).score?.({ messages: history, continuation })).rejects.toThrow('HTTP 400');
    refuse = new Set(['/tokenize']);
    const err = await backendFor({ backend: 'vllm' }).score?.({ messages: history, continuation }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('HTTP 404');
    expect((err as Error).message).toContain('/tokenize');
  });
});
