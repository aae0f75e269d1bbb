import type { Backend, BackendCapabilities, ChatMessage, Choice, GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { abortable } from '../abortable.js';
import { scoredReply } from '../chat-spans.js';
import { withGenerationDefaults } from '../generation-defaults.js';
import { DEFAULT_MAX_TOKENS, type DecodedRow, localChoice, parseLocalConfig } from '../local-choice.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { BackendError } from '../../base/errors.js';
import { DynamicBatcher } from './batcher.js';
import { type GenJob, type GenRow, batchKey, decodeGenerated, generateBatch } from './generate.js';
import { type LoadedModel, TransformersModelConfigSchema, loadModel, resolveModelSource } from './load.js';
import { type ScoreRow, scoreRows, scoreTokenBudget } from './score.js';

export { TransformersModelConfigSchema, type TransformersModelConfig } from './load.js';
export { type AssistantSpan, type ChatTokens, type ChatTokenizer, type ChatRenderer, createChatTokenizer, loadChatTokenizer, tokenizeChat } from './chat-tokens.js';

/** Logits of one score batch stay under this unless model_config.score_batch_tokens says otherwise. */
const SCORE_LOGIT_BYTES = 512 * 1024 * 1024;

const CAPABILITIES: BackendCapabilities = { score: true, logprobs: true, n: true, seed: true, batching: true };

interface QueuedJob extends GenJob {
  key: string;
}

interface BatchOutput {
  rows: GenRow[];
  /** Rows in the generate() call this job was part of (its own n plus its batch mates'). */
  batchRows: number;
}

/**
 * Creates a backend that runs a causal LM locally with transformers.js (ONNX Runtime, CPU by default).
 * `spec.huggingface_id` is a local folder (absolute, or relative to `deps.modelsDir`) or a hub id, downloaded into
 * the Hugging Face cache (backends/hub; so is a hub-id `peft_model`); a Llama safetensors checkpoint, and any base
 * with `model_config.peft_model` (LoRA merged), is converted to ONNX in `deps.cacheDir` first. The model is loaded once here (so a missing model fails now, with a ConfigError saying
 * what to download) and released by `close()`. Concurrent `generate` calls arriving within
 * `model_config.batch_window_ms` (default 5) are run as one left-padded batch of at most
 * `model_config.max_batch_size` rows (default 8); greedy results do not depend on the batching.
 * Arguments: temperature 0 (default) is greedy; sampling keeps transformers.js's top_k of 50 (HF's default) plus
 * our own top-p filter; a seeded sampling request runs in a batch of its own so the seed reproduces it; `n` repeats
 * the prompt in the batch; stop strings end generation and are cut from the text; `eos_to_cull` is removed from
 * the text (all matches, like clemcore's re.sub). `score()` tokenizes the conversation with the continuation as
 * its last assistant reply through the chat template (see tokenizeChat; the end-of-turn token is scored unless
 * `endOfTurn: false`), and concurrent score calls run together (at most `model_config.score_batch_tokens`
 * tokens): calls that share their conversation run it once and their replies on its key/value cache, the others
 * as one right-padded forward pass. Failures of the model run are non-retryable BackendErrors.
 */
export async function createTransformersBackend(spec: ModelSpec, deps: BackendDeps): Promise<Backend> {
  const { cfg, cull } = parseLocalConfig(TransformersModelConfigSchema, spec);
  const loaded = await loadModel(spec, cfg, await resolveModelSource(spec, cfg, deps));
  const now = deps.now ?? (() => performance.now());
  let counter = 0;
  let closed = false;
  // One model call at a time: generate batches and score passes share this chain.
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    // A failure inside the model run is a backend failure (not retryable: the same input fails again).
    const fn = () =>
      task().catch((e: unknown) => {
        throw new BackendError(spec.model_name, undefined, false, `local model run failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      });
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
  const assertOpen = () => {
    if (closed) throw new Error(`${spec.model_name}: backend is closed`);
  };
  const runBatch = async (jobs: QueuedJob[]): Promise<BatchOutput[]> => {
    const batchRows = jobs.reduce((s, j) => s + j.n, 0);
    assertOpen();
    const results = await exclusive(() => generateBatch(loaded, jobs));
    return results.map((rows) => ({ rows, batchRows }));
  };
  const batcher = new DynamicBatcher<QueuedJob, BatchOutput>(runBatch, {
    windowMs: cfg.batch_window_ms ?? 5,
    maxRows: cfg.max_batch_size ?? 8,
    keyOf: (j) => j.key,
    rowsOf: (j) => j.n,
  });
  // Score calls arriving together share one forward pass, apart from generation batches.
  const vocabSize = Number((loaded.model.config as unknown as { vocab_size?: number }).vocab_size ?? 0);
  const scoreBatcher = new DynamicBatcher<ScoreRow, { logprobs: number[]; batchRows: number }>(
    async (rows) => {
      assertOpen();
      const logprobs = await exclusive(() => scoreRows(loaded, rows));
      return logprobs.map((l) => ({ logprobs: l, batchRows: rows.length }));
    },
    {
      windowMs: cfg.batch_window_ms ?? 5,
      maxRows: cfg.score_batch_tokens ?? scoreTokenBudget(vocabSize, SCORE_LOGIT_BYTES),
      keyOf: () => 'score',
      rowsOf: (row) => row.ids.length,
    },
  );

  const template = (messages: ChatMessage[]): string => loaded.chat.renderPrompt(messages);
  const encode = (text: string): number[] => loaded.chat.encode(text);

  return {
    name: spec.model_name,
    capabilities: CAPABILITIES,
    async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      assertOpen();
      const start = now();
      const args = withGenerationDefaults(spec, request.args);
      const warnings: string[] = [];
      const prompt = template(request.messages);
      const job: QueuedJob = {
        promptIds: encode(prompt),
        n: args.n ?? 1,
        maxTokens: args.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: args.temperature ?? 0,
        topP: args.topP,
        seed: args.seed,
        stop: args.stop ?? [],
        logprobs: args.logprobs === true ? { top: args.topLogprobs ?? 0 } : null,
        signal,
        key: '',
      };
      job.key = batchKey(job, () => counter++);
      const { rows, batchRows } = await abortable(batcher.submit(job, signal), signal);
      const choices: Choice[] = rows.map((row) => toChoice(loaded, row, job.stop, cull));
      return {
        choices,
        usage: { inputTokens: job.promptIds.length, outputTokens: rows.reduce((s, r) => s + r.tokenIds.length, 0) },
        latencyMs: now() - start,
        call: {
          request: { prompt, inputTokens: job.promptIds.length, n: job.n, maxTokens: job.maxTokens, temperature: job.temperature, topP: job.topP ?? null, seed: job.seed ?? null, batchRows },
          response: { choices: rows.map((r) => ({ tokenIds: r.tokenIds, end: r.end })) },
        },
        warnings,
      };
    },
    async score(request: ScoreRequest, signal?: AbortSignal): Promise<ScoreResult> {
      assertOpen();
      signal?.throwIfAborted();
      const row = scoredReply(loaded.chat, request, spec.model_name);
      const { logprobs: tokenLogprobs, batchRows } = await abortable(scoreBatcher.submit(row, signal), signal);
      return {
        tokenLogprobs,
        tokens: row.ids.slice(row.from, row.to).map((id) => loaded.chat.decode([id])),
        logprob: tokenLogprobs.reduce((a, b) => a + b, 0),
        batchRows,
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await exclusive(async () => {
        await loaded.model.dispose();
      });
    },
  };
}

function toChoice(loaded: LoadedModel, row: GenRow, stop: string[], cull: RegExp | undefined): Choice {
  const decoded: DecodedRow = { text: decodeGenerated(loaded.tokenizer, row.tokenIds), end: row.end, ...(row.logprobs ? { logprobs: row.logprobs } : {}) };
  return localChoice(decoded, stop, cull, (id) => loaded.tokenizer.decode([id], { skip_special_tokens: false }));
}
