import type { ChatMessage, GenerationArgs } from '../backend.js';

/** Budget of thinking tokens with clemcore's `model_config.thinking_mode` (clemcore 3.7 uses 4000). */
export const THINKING_BUDGET_TOKENS = 4000;

/** Sent when a request gives no token limit: the Messages API requires one. */
export const DEFAULT_MAX_TOKENS = 1024;

export type MessagesBody = Record<string, unknown> & { model: string; max_tokens: number; messages: { role: 'user' | 'assistant'; content: string }[] };

/**
 * Maps a chat onto a Messages API body: system messages become `system`; consecutive messages of one role are
 * joined with a blank line (the API wants user and assistant in turn, as clemcore's ensure_alternating_roles
 * does); `stop` becomes `stop_sequences`. With `thinking` (clemcore's thinking_mode), extended thinking gets
 * 4000 tokens on top of the reply's limit and temperature is not sent (the API refuses it). What the API
 * cannot honour (seed, n > 1, logprobs) comes back as warnings. `extraBody` is merged last.
 */
export function buildMessagesBody(
  model: string,
  messages: readonly ChatMessage[],
  args: GenerationArgs,
  options: { thinking: boolean; extraBody: Record<string, unknown> },
): { body: MessagesBody; warnings: string[] } {
  const warnings: string[] = [];
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns: MessagesBody['messages'] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last && last.role === m.role) last.content = `${last.content}\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  let maxTokens = args.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (args.maxTokens === undefined) warnings.push(`no token limit given; sent max_tokens ${DEFAULT_MAX_TOKENS} (the Messages API requires one)`);
  const body: MessagesBody = { model, max_tokens: maxTokens, messages: turns };
  if (system.length > 0) body.system = system.join('\n\n');
  if (options.thinking) {
    maxTokens += THINKING_BUDGET_TOKENS;
    body.max_tokens = maxTokens;
    body.thinking = { type: 'enabled', budget_tokens: THINKING_BUDGET_TOKENS };
    if (args.temperature !== undefined) warnings.push(`temperature ${args.temperature} not sent: extended thinking (model_config.thinking_mode) accepts only the default`);
  } else if (args.temperature !== undefined) {
    body.temperature = args.temperature;
  }
  if (args.topP !== undefined) body.top_p = args.topP;
  if (args.stop !== undefined && args.stop.length > 0) body.stop_sequences = [...args.stop];
  if (args.seed !== undefined) warnings.push(`seed ${args.seed} not sent: the Messages API has no seed`);
  if (args.n !== undefined && args.n > 1) warnings.push(`asked for ${args.n} choices; the Messages API returns one`);
  if (args.logprobs === true || args.topLogprobs !== undefined) warnings.push('logprobs not sent: the Messages API returns none');
  for (const [key, value] of Object.entries(options.extraBody)) {
    if (key === 'model' || key === 'messages') warnings.push(`model_config.extra_body.${key} ignored: it would replace the ${key} clem-ts sends`);
    else body[key] = value;
  }
  return { body, warnings };
}
