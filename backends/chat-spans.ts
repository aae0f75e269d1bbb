import { BackendError, ConfigError } from '../base/errors.js';
import type { ChatMessage, ScoreRequest } from './backend.js';

/**
 * Conversations rendered by a chat template and tokenized with the assistant replies marked, for any local
 * backend (transformers.js, llama.cpp): the template and the tokenizer come in as a {@link ChatRenderer}.
 */

/** One assistant reply inside a tokenized conversation: `[start, end)` token indices into `ids`. */
export interface AssistantSpan {
  /** Index of the assistant message in the conversation. */
  message: number;
  start: number;
  /** One past the last masked token (the end-of-turn token when the template writes one). */
  end: number;
  /** The span ends with one of the model's end-of-turn token ids. */
  hasEndOfTurn: boolean;
}

/** A conversation rendered by the chat template and tokenized, with the assistant tokens marked. */
export interface ChatTokens {
  /** The rendered conversation. */
  text: string;
  /** Token ids of `text`, without extra special tokens (the template writes BOS when the model wants it). */
  ids: number[];
  /** 1 for each token of an assistant reply (its content and its end-of-turn token), 0 elsewhere; `ids.length` long. */
  assistantMask: number[];
  /** One entry per assistant message, in order. */
  spans: AssistantSpan[];
}

/** The parts {@link tokenizeChat} works with, so it can be tested with any template and tokenizer. */
export interface ChatRenderer {
  render(messages: ChatMessage[], addGenerationPrompt: boolean): string;
  encode(text: string): number[];
  /** The ids that end a turn (only `has` is asked). */
  endOfTurnIds: Pick<ReadonlySet<number>, 'has'>;
}

/**
 * Renders a conversation through the chat template and tokenizes it with an assistant mask. Each assistant
 * message's text is found by rendering the conversation before it with the generation prompt (where the reply
 * starts) and up to it without (where it ends); the pieces between those boundaries are tokenized one by one
 * and concatenated, so token boundaries fall on reply boundaries, as when `generate()` appended the reply's ids to
 * its prompt's. Where replies start after a special token or a newline (ChatML, Llama 3, Gemma) this is the same
 * as tokenizing `text` whole. The mask covers the reply's tokens up to and including its last end-of-turn token;
 * what the template writes after it (ChatML's newline) stays unmasked, as in HF's `{% generation %}` blocks.
 * Throws ConfigError when the template does not render earlier turns the same way once later turns are added
 * (templates that drop earlier reasoning, say): such a template cannot give one consistent token sequence.
 */
export function tokenizeChat(messages: ChatMessage[], r: ChatRenderer): ChatTokens {
  const text = r.render(messages, false);
  // Character boundaries [start, end) of each assistant reply in `text`.
  const bounds: { message: number; start: number; end: number }[] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const before = r.render(messages.slice(0, i), true);
    const through = r.render(messages.slice(0, i + 1), false);
    if (!through.startsWith(before) || !text.startsWith(through)) {
      throw new ConfigError(
        `the chat template renders message ${i} (assistant) differently once later messages follow, so its tokens cannot be marked; ` +
          'use a template that renders earlier turns unchanged (model_config.custom_chat_template).',
      );
    }
    bounds.push({ message: i, start: before.length, end: through.length });
  });
  const ids: number[] = [];
  const assistantMask: number[] = [];
  const spans: AssistantSpan[] = [];
  let at = 0;
  const push = (piece: string, mask: number) => {
    const pieceIds = r.encode(piece);
    ids.push(...pieceIds);
    assistantMask.push(...pieceIds.map(() => mask));
  };
  for (const b of bounds) {
    push(text.slice(at, b.start), 0);
    const replyIds = r.encode(text.slice(b.start, b.end));
    let last = -1;
    replyIds.forEach((id, k) => {
      if (r.endOfTurnIds.has(id)) last = k;
    });
    const masked = last >= 0 ? last + 1 : replyIds.length;
    const start = ids.length;
    ids.push(...replyIds);
    assistantMask.push(...replyIds.map((_, k) => (k < masked ? 1 : 0)));
    spans.push({ message: b.message, start, end: start + masked, hasEndOfTurn: last >= 0 });
    at = b.end;
  }
  push(text.slice(at), 0);
  return { text, ids, assistantMask, spans };
}

/** What `score()` rates: a conversation's token ids up to the end of its last reply, and that reply's `[from, to)`. */
export interface ScoredReply {
  ids: number[];
  from: number;
  to: number;
}

/**
 * The conversation of a score request with the continuation as its last assistant reply, tokenized through the
 * chat template; the scored positions are that reply's masked tokens (content and end-of-turn token, or content
 * only with `endOfTurn: false`). Throws BackendError (not retryable) when the reply starts the sequence, as
 * nothing before it gives its first token a probability.
 */
export function scoredReply(chat: { tokenize(messages: ChatMessage[]): ChatTokens }, request: ScoreRequest, modelName: string): ScoredReply {
  const tokens = chat.tokenize([...request.messages, { role: 'assistant', content: request.continuation }]);
  const span = tokens.spans.at(-1);
  if (!span) throw new Error('the chat template wrote no assistant reply');
  if (span.start < 1) throw new BackendError(modelName, undefined, false, 'cannot score a reply that starts the sequence: the chat template writes nothing before it');
  const to = request.endOfTurn === false && span.hasEndOfTurn ? span.end - 1 : span.end;
  return { ids: tokens.ids.slice(0, span.end), from: span.start, to };
}
