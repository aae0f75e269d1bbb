import { Template } from '@huggingface/jinja';
import { ConfigError } from '../../base/errors.js';
import type { ChatMessage } from '../backend.js';
import { type ChatRenderer, type ChatTokens, tokenizeChat } from '../chat-spans.js';

/** What the chat layer needs of a loaded GGUF model (a node-llama-cpp LlamaModel fits). */
export interface GgufVocab {
  tokenize(text: string, specialTokens: boolean): number[];
  detokenize(tokens: readonly number[], specialTokens?: boolean): string;
  isEogToken(token: number): boolean;
  readonly tokens: { readonly bosString: string | null; readonly eosString: string | null; readonly eos: number | null; readonly eot: number | null };
}

/** The conversation layer of a GGUF model: its chat template (jinja), tokenizer and end-of-generation tokens. */
export interface GgufChat {
  /** The conversation with the generation prompt appended, as generate() sees it. */
  renderPrompt(messages: ChatMessage[]): string;
  /** Ids of text, special tokens parsed (the template writes them as text), nothing added. */
  encode(text: string): number[];
  /** Text of ids; special tokens left out unless asked. */
  decode(ids: readonly number[], options?: { specialTokens?: boolean }): string;
  /** A whole conversation with its assistant replies marked (scoring). */
  tokenize(messages: ChatMessage[]): ChatTokens;
  isEndOfTurn(id: number): boolean;
}

/**
 * Builds the chat layer from a GGUF's own chat template (`tokenizer.chat_template`) or `customTemplate`
 * (model_config.custom_chat_template), rendered with @huggingface/jinja as transformers.js renders
 * `apply_chat_template`: `messages`, `add_generation_prompt`, and the model's `bos_token` / `eos_token` strings.
 * The rendered text is tokenized with special tokens parsed and no BOS added (templates write their own), as
 * transformers.js tokenizes chat prompts. Throws ConfigError when there is no template or it does not parse.
 */
export function createGgufChat(vocab: GgufVocab, ggufTemplate: string | undefined, customTemplate: string | undefined, where: string): GgufChat {
  const source = customTemplate ?? ggufTemplate;
  if (source === undefined || source === '') {
    throw new ConfigError(`${where}: the GGUF has no chat template (tokenizer.chat_template); set model_config.custom_chat_template.`);
  }
  let template: Template;
  try {
    template = new Template(source);
  } catch (e) {
    throw new ConfigError(`${where}: the ${customTemplate === undefined ? "GGUF's" : 'custom'} chat template does not parse: ${(e as Error).message}`, { cause: e });
  }
  const specials: Record<string, string> = {};
  if (vocab.tokens.bosString) specials.bos_token = vocab.tokens.bosString;
  if (vocab.tokens.eosString) specials.eos_token = vocab.tokens.eosString;
  const render = (messages: ChatMessage[], addGenerationPrompt: boolean): string =>
    template.render({ messages, add_generation_prompt: addGenerationPrompt, ...specials });
  const encode = (text: string): number[] => (text === '' ? [] : vocab.tokenize(text, true));
  const endIds = new Set([vocab.tokens.eos, vocab.tokens.eot].filter((t): t is number => t !== null));
  const isEndOfTurn = (id: number) => endIds.has(id) || vocab.isEogToken(id);
  const renderer: ChatRenderer = { render, encode, endOfTurnIds: { has: isEndOfTurn } };
  return {
    renderPrompt: (messages) => render(messages, true),
    encode,
    decode: (ids, o = {}) => vocab.detokenize(ids, o.specialTokens ?? false),
    tokenize: (messages) => tokenizeChat(messages, renderer),
    isEndOfTurn,
  };
}
