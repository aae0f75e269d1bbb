import type { ControlledEvaluateInputItem, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import type { NodeLlamaCpp } from './binding.js';
import type { GgufChat } from './chat.js';
import { sharedPrefix } from './sequence-pool.js';
import { cutAtStop } from '../local-choice.js';

/** One reply to generate on one sequence. */
export interface GenJob {
  promptIds: readonly number[];
  maxTokens: number;
  /** 0 is greedy. */
  temperature: number;
  topP: number | undefined;
  seed: number | undefined;
  stop: readonly string[];
  /** Per-token log-probabilities of the reply, with this many alternatives per token. */
  logprobs: { top: number } | null;
  grammar: LlamaGrammar | undefined;
  signal: AbortSignal | undefined;
}

export interface GenOutput {
  tokenIds: number[];
  end: 'eos' | 'length' | 'stop_string';
  /** Prompt tokens found already evaluated in the sequence (not evaluated again). */
  reusedTokens: number;
  logprobs?: { tokenId: number; logprob: number; top: { tokenId: number; logprob: number }[] }[];
}

/** transformers.js samples with HF's top_k of 50; the same here, so both backends sample alike. */
const SAMPLING_TOP_K = 50;

/**
 * Makes the sequence hold exactly `ids[0, keep)` for the largest `keep` ≤ `limit` that it already holds, so only
 * the rest needs evaluating. Returns `keep`.
 */
async function reusePrefix(seq: LlamaContextSequence, ids: readonly number[], limit: number): Promise<number> {
  const keep = Math.min(sharedPrefix(seq.contextTokens, ids), limit);
  if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  return keep;
}

/**
 * Generates one reply on `seq` (which the caller holds alone): the prompt's cached prefix is kept, the rest is
 * evaluated, then tokens are sampled until an end-of-generation token, `maxTokens`, or a stop string in the decoded
 * text. Greedy when temperature is 0; otherwise top-k 50, top-p, and the seed when given.
 */
export async function generateOn(lib: NodeLlamaCpp, model: LlamaModel, seq: LlamaContextSequence, chat: GgufChat, job: GenJob): Promise<GenOutput> {
  const reusedTokens = await reusePrefix(seq, job.promptIds, job.promptIds.length - 1);
  const sampling =
    job.temperature > 0
      ? { temperature: job.temperature, topK: SAMPLING_TOP_K, topP: job.topP ?? 1, minP: 0, ...(job.seed === undefined ? {} : { seed: job.seed }) }
      : { temperature: 0 };
  const grammarEvaluationState = job.grammar ? new lib.LlamaGrammarEvaluationState({ model, grammar: job.grammar }) : undefined;
  const wantTop = (job.logprobs?.top ?? 0) > 0;
  const tokens = seq.evaluateWithMetadata(
    job.promptIds.slice(reusedTokens) as Token[],
    { confidence: job.logprobs !== null, probabilities: wantTop },
    { ...sampling, yieldEogToken: true, ...(grammarEvaluationState ? { grammarEvaluationState } : {}) },
  );
  const out: GenOutput = { tokenIds: [], end: 'length', reusedTokens, ...(job.logprobs ? { logprobs: [] } : {}) };
  if (job.maxTokens <= 0) return out;
  for await (const step of tokens) {
    job.signal?.throwIfAborted();
    if (chat.isEndOfTurn(step.token)) {
      out.end = 'eos';
      break;
    }
    out.tokenIds.push(step.token);
    if (out.logprobs) {
      const meta = step as { confidence?: number; probabilities?: Map<number, number> };
      const top = wantTop ? [...(meta.probabilities ?? new Map<number, number>())].slice(0, job.logprobs?.top).map(([tokenId, p]) => ({ tokenId, logprob: Math.log(p) })) : [];
      out.logprobs.push({ tokenId: step.token, logprob: Math.log(meta.confidence ?? 0), top });
    }
    if (job.stop.length > 0 && cutAtStop(chat.decode(out.tokenIds), job.stop).stopped) {
      out.end = 'stop_string';
      break;
    }
    if (out.tokenIds.length >= job.maxTokens) break;
  }
  return out;
}

/**
 * Log-probabilities (natural log) of `ids[from, to)` given the tokens before them, from one teacher-forced
 * evaluation of `ids[0, to)` on `seq` (its cached prefix up to `from - 1` is kept). The full next-token
 * distribution is read at each scored position, before any sampling option is applied.
 */
export async function scoreOn(seq: LlamaContextSequence, ids: readonly number[], from: number, to: number): Promise<number[]> {
  const keep = await reusePrefix(seq, ids, from - 1);
  const input = ids.slice(keep, to).map((id, k): ControlledEvaluateInputItem => {
    const at = keep + k;
    return at >= from - 1 && at < to - 1 ? [id as Token, { generateNext: { probabilities: true } }] : (id as Token);
  });
  const results = await seq.controlledEvaluate(input);
  const logprobs: number[] = [];
  for (let at = from - 1; at < to - 1; at++) {
    const p = results[at - keep]?.next.probabilities?.get(ids[at + 1] as Token) ?? 0;
    logprobs.push(Math.log(p));
  }
  return logprobs;
}
