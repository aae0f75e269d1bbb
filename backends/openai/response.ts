import { z } from 'zod';
import type { Choice, FinishReason, TokenLogprob, Usage } from '../backend.js';

/**
 * The parts of a chat.completions response clem-ts reads. Unknown keys are kept (providers add their own),
 * and fields some OpenAI-compatible servers leave out are optional or nullable.
 */
const TopLogprobSchema = z.looseObject({ token: z.string(), logprob: z.number() });

const TokenLogprobSchema = z.looseObject({
  token: z.string(),
  logprob: z.number(),
  top_logprobs: z.array(TopLogprobSchema).nullish(),
});

const ChoiceSchema = z.looseObject({
  index: z.number().optional(),
  message: z.looseObject({
    content: z.string().nullish(),
    /** vLLM and DeepSeek use `reasoning_content`; OpenRouter and newer vLLM use `reasoning`. */
    reasoning_content: z.string().nullish(),
    reasoning: z.string().nullish(),
  }),
  finish_reason: z.string().nullish(),
  logprobs: z.looseObject({ content: z.array(TokenLogprobSchema).nullish() }).nullish(),
});

export const ChatCompletionSchema = z.looseObject({
  choices: z.array(ChoiceSchema),
  usage: z.looseObject({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/** OpenAI's finish reasons, plus spellings other servers use, onto FinishReason. */
export function mapFinish(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'eos':
    case 'stop_sequence':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

/** Normalised choices, in the server's `index` order. */
export function normaliseChoices(completion: ChatCompletion): Choice[] {
  const ordered = [...completion.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return ordered.map((c) => {
    const choice: Choice = { text: c.message.content ?? '', finish: mapFinish(c.finish_reason) };
    if (c.finish_reason) choice.rawFinish = c.finish_reason;
    const reasoning = c.message.reasoning_content ?? c.message.reasoning;
    if (reasoning) choice.reasoning = reasoning;
    const tokens = c.logprobs?.content;
    if (tokens) choice.logprobs = tokens.map(toTokenLogprob);
    return choice;
  });
}

function toTokenLogprob(t: z.infer<typeof TokenLogprobSchema>): TokenLogprob {
  const out: TokenLogprob = { token: t.token, logprob: t.logprob };
  if (t.top_logprobs && t.top_logprobs.length > 0) out.top = t.top_logprobs.map((x) => ({ token: x.token, logprob: x.logprob }));
  return out;
}

export function normaliseUsage(completion: ChatCompletion): Usage | null {
  const u = completion.usage;
  return u ? { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens } : null;
}
