import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { ConfigError } from '../../base/errors.js';
import type { ChatMessage } from '../backend.js';
import { configureTransformersEnv } from './env.js';

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

/**
 * The one tokenization of conversations shared by scoring, generation and training: a chat template, a
 * tokenizer and the model's end-of-turn ids. Third-party types stay inside; callers see plain arrays.
 */
export interface ChatTokenizer {
  /** Token ids that end a turn (EOS of the tokenizer, the model config and the generation config). */
  readonly endOfTurnIds: ReadonlySet<number>;
  /** Id used to pad batches. */
  readonly padId: number;
  /** Renders `messages` with the generation prompt appended, as `generate()` sees them. */
  renderPrompt(messages: ChatMessage[]): string;
  /** Ids of `renderPrompt(messages)`. */
  promptIds(messages: ChatMessage[]): number[];
  /** Renders and tokenizes a whole conversation; see {@link tokenizeChat}. */
  tokenize(messages: ChatMessage[]): ChatTokens;
  /** Ids of plain text, no special tokens added. */
  encode(text: string): number[];
  /** Text of ids; special tokens kept unless asked otherwise. */
  decode(ids: number[], options?: { skipSpecialTokens?: boolean }): string;
}

/** What {@link createChatTokenizer} needs; `chatTemplate` overrides the tokenizer's own (model_config.custom_chat_template). */
export interface ChatTokenizerOptions {
  chatTemplate?: string | undefined;
  /** End-of-turn ids beyond the tokenizer's own EOS (from config.json / generation_config.json). */
  extraEndOfTurnIds?: Iterable<number>;
  padId?: number | undefined;
}

function idList(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return [];
}

/** Wraps a transformers.js tokenizer as a {@link ChatTokenizer}. Throws ConfigError if there is no chat template. */
export function createChatTokenizer(tokenizer: PreTrainedTokenizer, options: ChatTokenizerOptions = {}): ChatTokenizer {
  if (options.chatTemplate === undefined && !tokenizer.chat_template) {
    throw new ConfigError('the tokenizer has no chat template; set model_config.custom_chat_template.');
  }
  const tok = tokenizer as unknown as { eos_token_id?: number; pad_token_id?: number };
  const endOfTurnIds = new Set([...idList(tok.eos_token_id), ...(options.extraEndOfTurnIds ?? [])]);
  const padId = options.padId ?? tok.pad_token_id ?? [...endOfTurnIds][0] ?? 0;
  const render = (messages: ChatMessage[], addGenerationPrompt: boolean): string =>
    tokenizer.apply_chat_template(messages, {
      tokenize: false,
      add_generation_prompt: addGenerationPrompt,
      ...(options.chatTemplate === undefined ? {} : { chat_template: options.chatTemplate }),
    }) as string;
  const encode = (text: string): number[] => (text === '' ? [] : tokenizer.encode(text, { add_special_tokens: false }));
  const self: ChatTokenizer = {
    endOfTurnIds,
    padId,
    renderPrompt: (messages) => render(messages, true),
    promptIds: (messages) => encode(render(messages, true)),
    tokenize: (messages) => tokenizeChat(messages, { render, encode, endOfTurnIds }),
    encode,
    decode: (ids, o = {}) => tokenizer.decode(ids, { skip_special_tokens: o.skipSpecialTokens ?? false }),
  };
  return self;
}

/** The parts {@link tokenizeChat} works with, so it can be tested with any template and tokenizer. */
export interface ChatRenderer {
  render(messages: ChatMessage[], addGenerationPrompt: boolean): string;
  encode(text: string): number[];
  endOfTurnIds: ReadonlySet<number>;
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

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Loads the chat tokenizer of a local model folder (tokenizer.json, tokenizer_config.json; end-of-turn ids also
 * from config.json and generation_config.json when present). For trainers that need the tokenization without
 * loading the model. Throws ConfigError naming the folder when it cannot be loaded.
 */
export async function loadChatTokenizer(dir: string, options: { chatTemplate?: string } = {}): Promise<ChatTokenizer> {
  configureTransformersEnv();
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (e) {
    throw new ConfigError(`could not load the tokenizer in ${dir}: ${e instanceof Error ? e.message : String(e)}. The folder needs tokenizer.json and tokenizer_config.json.`, {
      cause: e,
    });
  }
  const extra = [...idList(readJson(join(dir, 'config.json')).eos_token_id), ...idList(readJson(join(dir, 'generation_config.json')).eos_token_id)];
  const padId = idList(readJson(join(dir, 'generation_config.json')).pad_token_id)[0];
  return createChatTokenizer(tokenizer, { chatTemplate: options.chatTemplate, extraEndOfTurnIds: extra, padId });
}
