/** The `openai` backend: OpenAI's API and OpenAI-compatible servers (vLLM, llama.cpp, Ollama, OpenRouter). */
export { createOpenAIBackend, OPENAI_BACKEND_NAMES, OPENAI_CAPABILITIES, type OpenAIBackendOptions } from './openai-backend.js';
export { DEFAULT_TIMEOUT_MS, keyNameFor, PLACEHOLDER_KEY, printableUrl, requestHeaders, resolveOpenAIConfig, type OpenAIConfig } from './config.js';
export { statusToError, transportToError, type CallContext } from './errors.js';
export { parseRetryAfter, serverMessage } from './errors.js';
export { OPENAI_PROFILE, type ProviderProfile } from './profile.js';
export { costUsd, onceWarner } from './openai-backend.js';
export { mapFinish } from './response.js';
