import { z } from 'zod';
import { BackendError, ConfigError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { ChatMessage, ScoreRequest, ScoreResult } from '../backend.js';
import { joinUrl, type HttpTransport } from '../http/index.js';
import { printableUrl, requestHeaders, type OpenAIConfig } from './config.js';
import { errorInBody, inBodyErrorToBackendError, malformedJsonError, statusToError, transportToError } from './errors.js';

/**
 * `score()` for OpenAI-compatible servers that return log-probabilities of PROMPT tokens. Which servers can:
 *
 * - vLLM (backend `vllm`, or any backend with `model_config.score_api`): `prompt_logprobs` (default) asks
 *   `/v1/chat/completions` with vLLM's `prompt_logprobs: 0` and `add_generation_prompt: false`; `echo` asks
 *   `/v1/completions` with `echo: true, logprobs: 1` on the token ids of the rendered conversation (older vLLM).
 *   Both find the reply's tokens with vLLM's `/tokenize` endpoint (the conversation before the reply with the
 *   generation prompt, and with the reply left open by `continue_final_message`), so the server's own chat
 *   template decides the tokens, as it does when it generates.
 * - Cannot: OpenAI's own API, OpenRouter, Ollama and llama.cpp's server return log-probabilities of generated
 *   tokens only (OpenAI's completions endpoint no longer echoes prompt log-probabilities), so `capabilities.score`
 *   is false for them and `score()` throws a ConfigError saying so.
 */
export const SCORE_APIS = ['prompt_logprobs', 'echo'] as const;
export type ScoreApi = (typeof SCORE_APIS)[number];

const ScoreConfigSchema = z.looseObject({
  score_api: z
    .enum([...SCORE_APIS, 'none'])
    .optional()
    .describe('clem-ts: how score() gets prompt log-probabilities (vLLM only): prompt_logprobs (default for backend vllm), echo, or none.'),
});

/** The score API a registry entry asks for: `model_config.score_api`, else `prompt_logprobs` for backend `vllm`, else none. */
export function scoreApiFor(spec: ModelSpec): ScoreApi | null {
  const parsed = ScoreConfigSchema.safeParse(spec.model_config ?? {});
  if (!parsed.success) throw new ConfigError(`${spec.model_name}: model_config.score_api must be one of ${[...SCORE_APIS, 'none'].join(', ')}`);
  const api = parsed.data.score_api ?? (spec.backend === 'vllm' ? 'prompt_logprobs' : 'none');
  return api === 'none' ? null : api;
}

/** The error `score()` throws on a server that cannot give prompt log-probabilities. */
export function scoreUnsupportedError(spec: ModelSpec): ConfigError {
  return new ConfigError(
    `${spec.model_name}: score() needs log-probabilities of prompt tokens, which backend '${spec.backend}' does not give ` +
      "(OpenAI's API, OpenRouter, Ollama and llama.cpp return them for generated tokens only). Serve the model with vLLM " +
      '(backend "vllm", or model_config.score_api "prompt_logprobs" or "echo" for another vLLM-compatible server), or use the transformers backend.',
  );
}

const TokenizeSchema = z.looseObject({ tokens: z.array(z.number().int()), count: z.number().int().optional() });
const PromptLogprobEntrySchema = z.record(
  z.string(),
  z.looseObject({ logprob: z.number(), rank: z.number().nullable().optional(), decoded_token: z.string().nullable().optional() }),
);
const ChatPromptLogprobsSchema = z.looseObject({ prompt_logprobs: z.array(PromptLogprobEntrySchema.nullable()) });
const EchoSchema = z.looseObject({
  choices: z
    .array(z.looseObject({ logprobs: z.looseObject({ tokens: z.array(z.string()), token_logprobs: z.array(z.number().nullable()) }) }))
    .min(1),
});

type Post = (path: string, body: Record<string, unknown>, signal: AbortSignal | undefined) => Promise<unknown>;

/** POSTs JSON through the model's transport (its pool, headers and timeout; our errors) and returns the parsed body. */
function poster(transport: HttpTransport, config: OpenAIConfig, baseURL: string): Post {
  const headers = requestHeaders(config);
  return async (path, body, signal) => {
    signal?.throwIfAborted();
    const target = path.startsWith('http') ? path : joinUrl(baseURL, path);
    const url = printableUrl(target);
    let res;
    try {
      res = await transport.request({ method: 'POST', url: target, headers, body: JSON.stringify(body) }, signal);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw transportToError(e, { config, url, wallClockMs: Date.now() });
    }
    if (res.status < 200 || res.status >= 300) throw statusToError(res, { config, url, wallClockMs: Date.now() });
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch (e) {
      throw malformedJsonError({ config, url, wallClockMs: Date.now() }, res.body, e);
    }
    const inBody = errorInBody(json);
    if (inBody) throw inBodyErrorToBackendError(config, url, inBody);
    return json;
  };
}

function parseReply<S extends z.ZodType>(schema: S, json: unknown, config: OpenAIConfig, what: string, hint: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BackendError(config.modelName, 200, false, `${what} is not what vLLM sends (${issues}). ${hint}`);
  }
  return parsed.data;
}

/** vLLM serves /tokenize at the server root, beside /v1. */
function tokenizeUrl(baseURL: string): string {
  const u = new URL(baseURL);
  u.pathname = `${u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/tokenize`;
  return u.toString();
}

/**
 * Creates `score()` for an OpenAI-compatible backend, or null when the registry entry gives no score API
 * (see scoreApiFor). The scored positions are the reply's tokens and, unless `endOfTurn: false`, the one
 * token the chat template writes right after it (its end-of-turn token). Throws BackendError when the server's
 * replies do not fit together (the tokenization of /tokenize differs from the scored prompt's).
 */
export function createOpenAIScore(
  spec: ModelSpec,
  config: OpenAIConfig,
  transport: HttpTransport,
): ((request: ScoreRequest, signal?: AbortSignal) => Promise<ScoreResult>) | null {
  const api = scoreApiFor(spec);
  if (api === null) return null;
  const baseURL = config.baseURLs[0] as string;
  const post = poster(transport, config, baseURL);
  const tokenize = async (messages: ChatMessage[], flags: Record<string, boolean>, signal: AbortSignal | undefined): Promise<number[]> => {
    const json = await post(tokenizeUrl(baseURL), { model: config.requestModel, messages, ...flags }, signal);
    const hint = 'score() needs vLLM\'s /tokenize endpoint beside /v1.';
    return parseReply(TokenizeSchema, json, config, `the reply of ${printableUrl(tokenizeUrl(baseURL))}`, hint).tokens;
  };
  return async (request, signal) => {
    const withReply: ChatMessage[] = [...request.messages, { role: 'assistant', content: request.continuation }];
    const [before, open] = await Promise.all([
      tokenize(request.messages, { add_generation_prompt: true }, signal),
      tokenize(withReply, { add_generation_prompt: false, continue_final_message: true }, signal),
    ]);
    if (before.length === 0) throw new BackendError(config.modelName, undefined, false, 'cannot score a reply that starts the sequence: the chat template writes nothing before it');
    const to = open.length + (request.endOfTurn === false ? 0 : 1);
    const scored = api === 'prompt_logprobs' ? await viaPromptLogprobs(post, config, withReply, signal) : await viaEcho(post, config, await tokenize(withReply, { add_generation_prompt: false }, signal), signal);
    if (scored.ids !== null && !open.every((id, i) => i === 0 || scored.ids?.[i] === id)) {
      throw new BackendError(config.modelName, 200, false, 'the scored prompt\'s tokens differ from /tokenize\'s for the same messages; check that both endpoints serve the same model and chat template.');
    }
    if (scored.logprobs.length < to) throw new BackendError(config.modelName, 200, false, `the server scored ${scored.logprobs.length} prompt tokens, fewer than the ${to} the reply needs.`);
    const tokenLogprobs = scored.logprobs.slice(before.length, to).map((lp, i) => {
      if (lp === null) throw new BackendError(config.modelName, 200, false, `the server gave no log-probability for prompt token ${before.length + i}.`);
      return lp;
    });
    return { tokenLogprobs, tokens: scored.tokens.slice(before.length, to), logprob: tokenLogprobs.reduce((a, b) => a + b, 0) };
  };
}

interface Scored {
  /** Token id per prompt position, when the server says (prompt_logprobs); null otherwise. */
  ids: (number | undefined)[] | null;
  logprobs: (number | null)[];
  tokens: string[];
}

async function viaPromptLogprobs(post: Post, config: OpenAIConfig, messages: ChatMessage[], signal: AbortSignal | undefined): Promise<Scored> {
  const body = { model: config.requestModel, messages, add_generation_prompt: false, max_tokens: 1, temperature: 0, prompt_logprobs: 0 };
  const json = await post('/chat/completions', body, signal);
  const reply = parseReply(ChatPromptLogprobsSchema, json, config, 'the chat completion', 'Does the server support vLLM\'s prompt_logprobs? Older vLLM: set model_config.score_api to "echo".');
  // vLLM gives null for the first prompt token; each other entry maps token ids to log-probabilities and holds the
  // prompt's own token (with prompt_logprobs 0, only it). We take the entry's first key as that token.
  const ids: (number | undefined)[] = [];
  const logprobs: (number | null)[] = [];
  const tokens: string[] = [];
  for (const entry of reply.prompt_logprobs) {
    const first = entry === null ? undefined : Object.entries(entry)[0];
    ids.push(first === undefined ? undefined : Number(first[0]));
    logprobs.push(first === undefined ? null : first[1].logprob);
    tokens.push(first?.[1].decoded_token ?? '');
  }
  return { ids, logprobs, tokens };
}

async function viaEcho(post: Post, config: OpenAIConfig, promptIds: number[], signal: AbortSignal | undefined): Promise<Scored> {
  const body = { model: config.requestModel, prompt: promptIds, echo: true, logprobs: 1, max_tokens: 1, temperature: 0 };
  const json = await post('/completions', body, signal);
  const reply = parseReply(EchoSchema, json, config, 'the completion', 'Does the server echo prompt log-probabilities (vLLM\'s /v1/completions with echo)?');
  const lp = reply.choices[0]?.logprobs;
  return { ids: null, logprobs: lp?.token_logprobs ?? [], tokens: lp?.tokens ?? [] };
}
