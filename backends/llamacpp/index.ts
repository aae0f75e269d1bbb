import { abortable } from '../abortable.js';
import { scoredReply } from '../chat-spans.js';
import type { Backend, BackendCapabilities, Choice, GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { withGenerationDefaults } from '../generation-defaults.js';
import { DEFAULT_MAX_TOKENS, type DecodedRow, localChoice, parseLocalConfig } from '../local-choice.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { BackendError } from '../../base/errors.js';
import { LlamaCppModelConfigSchema } from './config.js';
import { type GenJob, type GenOutput, generateOn, scoreOn } from './generate.js';
import { type LoadedGguf, loadGguf } from './load.js';

export { LlamaCppModelConfigSchema, type LlamaCppModelConfig } from './config.js';
export { INSTALL_HINT, NODE_LLAMA_CPP_VERSION } from './binding.js';
export { defaultThreads } from './load.js';

const CAPABILITIES: BackendCapabilities = { score: true, logprobs: true, n: true, seed: true, batching: true };

/**
 * Creates a backend that runs a GGUF model locally with llama.cpp (node-llama-cpp, an optional dependency loaded
 * here on first use). `huggingface_id` is a .gguf file, a folder, or a hub repository with `model_config.filename`
 * (clemcore's glob), downloaded into the Hugging Face cache. The prompt is the conversation rendered by the GGUF's
 * chat template (or `custom_chat_template`) with @huggingface/jinja, as the transformers backend renders it, so
 * both backends see the same tokens. Concurrent requests run on the parallel sequences of one context and are
 * decoded together in one batch; a request reuses the sequence whose cached tokens share the longest prefix with
 * its prompt (an episode's earlier turns are not evaluated again). Arguments: temperature 0 (default) is greedy;
 * sampling uses top-k 50 and top-p as the transformers backend does, and the seed (n choices use seed, seed+1, …);
 * stop strings end generation and are cut; `eos_to_cull` is removed; `grammar` / `json_schema` constrain every
 * reply. `score()` reads the full next-token distribution at each position of the reply (teacher forcing).
 * Failures of the model run are non-retryable BackendErrors.
 */
export async function createLlamaCppBackend(spec: ModelSpec, deps: BackendDeps): Promise<Backend> {
  const { cfg, cull } = parseLocalConfig(LlamaCppModelConfigSchema, spec);
  const loaded = await loadGguf(spec, cfg, deps);
  const now = deps.now ?? (() => performance.now());
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  const assertOpen = () => {
    if (closed) throw new Error(`${spec.model_name}: backend is closed`);
  };
  const modelRun = async <T>(what: string, run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new BackendError(spec.model_name, undefined, false, `llama.cpp ${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  /** Runs `work` on a sequence of the pool, lent for `prompt`. */
  const onSequence = async <T>(prompt: readonly number[], signal: AbortSignal | undefined, work: (seq: Parameters<typeof generateOn>[2]) => Promise<T>): Promise<T> => {
    const seq = await loaded.pool.acquire(prompt, signal);
    try {
      return await work(seq);
    } finally {
      loaded.pool.release(seq);
    }
  };

  return {
    name: spec.model_name,
    capabilities: CAPABILITIES,
    async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      assertOpen();
      const start = now();
      const args = withGenerationDefaults(spec, request.args);
      const warnings: string[] = [];
      const prompt = loaded.chat.renderPrompt(request.messages);
      const promptIds = loaded.chat.encode(prompt);
      if (promptIds.length >= loaded.contextTokens) {
        throw new BackendError(spec.model_name, undefined, false, `the prompt has ${promptIds.length} tokens but a sequence holds ${loaded.contextTokens} (model_config.n_ctx)`);
      }
      let maxTokens = args.maxTokens ?? DEFAULT_MAX_TOKENS;
      if (promptIds.length + maxTokens > loaded.contextTokens) {
        maxTokens = loaded.contextTokens - promptIds.length;
        warnings.push(`max_tokens lowered to ${maxTokens}: the prompt has ${promptIds.length} tokens of the ${loaded.contextTokens} a sequence holds (model_config.n_ctx)`);
      }
      const n = args.n ?? 1;
      const job = (i: number): GenJob => ({
        promptIds,
        maxTokens,
        temperature: args.temperature ?? 0,
        topP: args.topP,
        seed: args.seed === undefined ? undefined : args.seed + i,
        stop: args.stop ?? [],
        logprobs: args.logprobs === true ? { top: args.topLogprobs ?? 0 } : null,
        grammar: loaded.grammar,
        signal,
      });
      const outputs = await track(
        abortable(
          Promise.all(Array.from({ length: n }, (_, i) => onSequence(promptIds, signal, (seq) => modelRun('generation', () => generateOn(loaded.lib, loaded.model, seq, loaded.chat, job(i)), signal)))),
          signal,
        ),
      );
      return {
        choices: outputs.map((o) => toChoice(loaded, o, args.stop ?? [], cull)),
        usage: { inputTokens: promptIds.length, outputTokens: outputs.reduce((s, o) => s + o.tokenIds.length, 0) },
        latencyMs: now() - start,
        call: {
          request: {
            prompt,
            inputTokens: promptIds.length,
            n,
            maxTokens,
            temperature: args.temperature ?? 0,
            topP: args.topP ?? null,
            seed: args.seed ?? null,
            reusedTokens: outputs.map((o) => o.reusedTokens),
            grammar: cfg.grammar !== undefined ? 'gbnf' : cfg.json_schema !== undefined ? 'json_schema' : null,
          },
          response: { choices: outputs.map((o) => ({ tokenIds: o.tokenIds, end: o.end })) },
        },
        warnings,
      };
    },
    async score(request: ScoreRequest, signal?: AbortSignal): Promise<ScoreResult> {
      assertOpen();
      signal?.throwIfAborted();
      const { ids: conversation, from, to } = scoredReply(loaded.chat, request, spec.model_name);
      const ids = conversation.slice(0, to);
      if (ids.length > loaded.contextTokens) throw new BackendError(spec.model_name, undefined, false, `the conversation has ${ids.length} tokens but a sequence holds ${loaded.contextTokens} (model_config.n_ctx)`);
      const tokenLogprobs = await track(abortable(onSequence(ids, signal, (seq) => modelRun('scoring', () => scoreOn(seq, ids, from, to), signal)), signal));
      return {
        tokenLogprobs,
        tokens: ids.slice(from, to).map((id) => loaded.chat.decode([id], { specialTokens: true })),
        logprob: tokenLogprobs.reduce((a, b) => a + b, 0),
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      await loaded.context.dispose();
      await loaded.model.dispose();
    },
  };
}

function toChoice(loaded: LoadedGguf, out: GenOutput, stop: string[], cull: RegExp | undefined): Choice {
  const decoded: DecodedRow = { text: loaded.chat.decode(out.tokenIds), end: out.end, ...(out.logprobs ? { logprobs: out.logprobs } : {}) };
  return localChoice(decoded, stop, cull, (id) => loaded.chat.decode([id], { specialTokens: true }));
}
