import { z } from 'zod';
import type { Choice, FinishReason, Usage } from '../backend.js';

/** The parts of a Messages API reply clem-ts reads; unknown keys and content block types are kept. */
export const AnthropicMessageSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), thinking: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z
    .looseObject({
      input_tokens: z.number(),
      output_tokens: z.number(),
      cache_creation_input_tokens: z.number().nullish(),
      cache_read_input_tokens: z.number().nullish(),
    })
    .nullish(),
});
export type AnthropicMessage = z.infer<typeof AnthropicMessageSchema>;

/** end_turn and stop_sequence: stop; max_tokens: length; refusal: content_filter. */
export function mapStopReason(raw: string | null | undefined): FinishReason {
  if (raw === 'end_turn' || raw === 'stop_sequence') return 'stop';
  if (raw === 'max_tokens') return 'length';
  if (raw === 'refusal') return 'content_filter';
  return 'other';
}

/** The reply as one choice: text blocks joined, thinking blocks as reasoning. */
export function toChoice(message: AnthropicMessage): Choice {
  const text = message.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
  const reasoning = message.content.filter((b) => b.type === 'thinking').map((b) => b.thinking ?? '').join('\n');
  const choice: Choice = { text, finish: mapStopReason(message.stop_reason) };
  if (message.stop_reason) choice.rawFinish = message.stop_reason;
  if (reasoning) choice.reasoning = reasoning;
  return choice;
}

/** Prompt tokens include those written to and read from the prompt cache (all of them fill the context). */
export function toUsage(message: AnthropicMessage): Usage | null {
  const u = message.usage;
  if (!u) return null;
  return { inputTokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), outputTokens: u.output_tokens };
}
