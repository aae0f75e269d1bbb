import type { ChatMessage, GenerationArgs } from '../backend.js';
import type { OpenAIConfig } from './config.js';
import type { ChatBody } from './profile.js';

/**
 * Maps GenerationArgs onto a chat.completions body. Fields from `model_config.extra_body` are merged last
 * (they override, as in the Python SDK's `extra_body`). Arguments that cannot be sent come back as warnings.
 */
export function buildChatBody(
  config: OpenAIConfig,
  messages: readonly ChatMessage[],
  args: GenerationArgs,
): { body: ChatBody; warnings: string[] } {
  const warnings: string[] = [];
  const body: ChatBody = {
    model: config.requestModel,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (args.temperature !== undefined) {
    if (config.isReasoningModel && args.temperature !== 1) {
      // OpenAI reasoning models refuse any temperature but the default (1); clemcore drops it too.
      warnings.push(`temperature ${args.temperature} not sent: reasoning models (model_config.reasoning_model) accept only the default`);
    } else {
      body.temperature = args.temperature;
    }
  }
  if (args.maxTokens !== undefined) body[config.maxTokensField] = args.maxTokens;
  if (args.topP !== undefined) body.top_p = args.topP;
  if (args.stop !== undefined && args.stop.length > 0) body.stop = [...args.stop];
  if (args.seed !== undefined) body.seed = args.seed;
  if (args.n !== undefined && args.n !== 1) body.n = args.n;
  if (args.logprobs === true || args.topLogprobs !== undefined) {
    body.logprobs = true;
    if (args.topLogprobs !== undefined) body.top_logprobs = args.topLogprobs;
  }
  for (const [key, value] of Object.entries(config.extraBody)) {
    if (key === 'model' || key === 'messages') {
      warnings.push(`model_config.extra_body.${key} ignored: it would replace the ${key} clem-ts sends`);
      continue;
    }
    body[key] = value;
  }
  config.profile.adaptBody?.(body, warnings);
  return { body, warnings };
}
