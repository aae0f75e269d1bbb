import { ClemError } from '../base/errors.js';
import type { ChatMessage, Usage } from './backend.js';

/**
 * The prompt did not fit the model's context: the server refused it, truncated it silently (its reported
 * prompt tokens fell while the history grew), or the registry's `context_size` says it cannot fit. A failure,
 * not an outcome: the runner records the episode as errored (error.json, code `context_exceeded`), so eval
 * counts it and never scores it as the model's loss. Never retried.
 */
export class ContextExceededError extends ClemError {
  readonly code = 'context_exceeded';
  constructor(
    readonly model: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${model}: the prompt does not fit the model's context: ${reason}`, options);
  }
}

/**
 * What servers answer when a prompt is longer than the context: OpenAI (context_length_exceeded), vLLM
 * ("maximum context length"), llama.cpp (exceed_context_size_error, "exceeds the available context size"),
 * Anthropic ("prompt is too long"), Google ("input token count … exceeds the maximum"), Mistral ("too large
 * for model with … maximum context length"), Cohere ("too many tokens").
 */
const CONTEXT_REFUSAL =
  /context_length_exceeded|exceed_context_size|maximum context length|context window|exceeds? the (available )?context|prompt is too long|input token count.*exceeds|too many (input )?tokens|maximum context/i;

/** A ContextExceededError when `text` (a refusal's message or body) says the prompt is too long, else null. */
export function contextExceededFromMessage(model: string, text: string, reason: string): ContextExceededError | null {
  return CONTEXT_REFUSAL.test(text) ? new ContextExceededError(model, `the server refused it (${reason})`) : null;
}

/**
 * The registry's `context_size` ("128k", "8K", "131072", "4M"; "" or unreadable → undefined) in tokens. k and
 * M are taken as 1024 and 1024², the larger reading, so a prompt is never refused for a context it fits.
 */
export function parseContextSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1024 : 1024 * 1024);
  return n > 0 ? Math.floor(n) : undefined;
}

/** Characters per token assumed before a first reply has told the real ratio (a generous 6: few prompts tokenise coarser). */
const FIRST_CALL_CHARS_PER_TOKEN = 6;

/**
 * Watches one conversation (one player's history) for a context overflow. `before` checks the next prompt
 * against `contextTokens` (the registry's context_size), estimating its tokens from the last reply's counts;
 * `after` checks the server's reported prompt tokens, which can only grow while the history grows: when they
 * fall, the server cut the prompt (llama.cpp does so silently when it exceeds `--ctx-size`).
 */
export class ContextTracker {
  private last: { chars: number; messages: number; inputTokens: number; outputTokens: number } | undefined;

  constructor(
    private readonly model: string,
    private readonly contextTokens: number | undefined,
  ) {}

  /** Throws ContextExceededError when the prompt about to be sent cannot fit `contextTokens`. */
  before(messages: readonly ChatMessage[]): void {
    if (this.contextTokens === undefined) return;
    const chars = countChars(messages);
    const last = this.last;
    const estimate =
      last && last.inputTokens > 0
        ? last.inputTokens + last.outputTokens + Math.ceil(((chars - last.chars) * last.inputTokens) / Math.max(1, last.chars))
        : Math.ceil(chars / FIRST_CALL_CHARS_PER_TOKEN);
    if (estimate > this.contextTokens)
      throw new ContextExceededError(this.model, `about ${estimate} prompt tokens, more than the context_size of ${this.contextTokens} tokens in the model registry`);
  }

  /** Records a reply; throws ContextExceededError when the reported prompt tokens fell while the history grew. */
  after(messages: readonly ChatMessage[], usage: Usage): void {
    const chars = countChars(messages);
    const last = this.last;
    this.last = { chars, messages: messages.length, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
    if (!last || usage.inputTokens <= 0 || messages.length <= last.messages || chars <= last.chars) return;
    if (usage.inputTokens < last.inputTokens)
      throw new ContextExceededError(
        this.model,
        `the server reported ${usage.inputTokens} prompt tokens after ${last.inputTokens} while the history grew from ${last.messages} to ${messages.length} messages: it truncated the prompt (llama.cpp does so when it exceeds --ctx-size)`,
      );
  }
}

function countChars(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) n += m.content.length;
  return n;
}
