/** The `anthropic` backend: Anthropic's Messages API through the official SDK. */
export { ANTHROPIC_CAPABILITIES, ANTHROPIC_PROFILE, createAnthropicBackend } from './anthropic-backend.js';
export { buildMessagesBody, THINKING_BUDGET_TOKENS } from './request.js';
