import type { ChatMessage } from '../backend.js';

/** A chat.completions request body as sent (plain JSON; never holds the key, which travels in a header). */
export type ChatBody = Record<string, unknown> & { model: string; messages: ChatMessage[] };

/**
 * What differs between providers that speak the OpenAI chat-completions format: where the server is, which
 * key it takes, and the few body fields it spells its own way. The openai backend serves every profile.
 */
export interface ProviderProfile {
  /** Shown in messages: "OpenAI", "Mistral", … */
  label: string;
  /** Hosted base URL used when neither the entry nor key.json gives one; a hosted server always needs a key. */
  defaultBaseUrl?: string;
  /** Appended to the base URL. */
  chatPath: string;
  /** The header that carries the key when model_config.http.api_key_header names none (default: a bearer token). */
  apiKeyHeader?: string;
  /** The provider always needs a key, wherever its base URL points (Azure: every resource is hosted). */
  requiresKey?: boolean;
  /** Renames or drops body fields the provider spells its own way; pushes a warning for each field dropped. */
  adaptBody?(body: ChatBody, warnings: string[]): void;
}

export const OPENAI_PROFILE: ProviderProfile = { label: 'OpenAI-compatible server', chatPath: 'chat/completions' };

/** Hosted defaults of the OpenAI-format backends, by key name. */
export const HOSTED_PROFILES: Readonly<Record<string, ProviderProfile>> = {
  openai: { label: 'OpenAI', defaultBaseUrl: 'https://api.openai.com/v1', chatPath: 'chat/completions' },
  openrouter: { label: 'OpenRouter', defaultBaseUrl: 'https://openrouter.ai/api/v1', chatPath: 'chat/completions' },
};

/**
 * Whether the server is OpenAI's own API (or Azure's with a reasoning model), where the token limit is
 * `max_completion_tokens`; every other server (vLLM, llama.cpp, Ollama, OpenRouter, TGI …) honours `max_tokens`,
 * and llama.cpp ignores `max_completion_tokens` silently.
 */
export function prefersMaxCompletionTokens(baseUrl: string, isReasoningModel: boolean): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'api.openai.com' || (isReasoningModel && host.endsWith('.openai.azure.com'));
}
