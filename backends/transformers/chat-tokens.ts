import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { ConfigError } from '../../base/errors.js';
import type { ChatMessage } from '../backend.js';
import { type ChatTokens, tokenizeChat } from '../chat-spans.js';
import { configureTransformersEnv } from './env.js';

export { type AssistantSpan, type ChatRenderer, type ChatTokens, tokenizeChat } from '../chat-spans.js';

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
