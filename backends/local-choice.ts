import { ConfigError } from '../base/errors.js';
import type { ModelSpec } from '../registry/model-spec.js';
import type { Choice, TokenLogprob } from './backend.js';

/**
 * What local backends (transformers, llamacpp) share between their settings and their replies: the parsed
 * `model_config` with clemcore's `eos_to_cull` compiled, and a generated row turned into a Choice.
 */

/** Tokens a local backend generates when neither the request nor the registry entry sets max_tokens. */
export const DEFAULT_MAX_TOKENS = 256;

/** Parses `spec.model_config` with a backend's schema and compiles `eos_to_cull`. Throws ConfigError naming the field. */
export function parseLocalConfig<T extends { eos_to_cull?: string | undefined }>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  spec: ModelSpec,
): { cfg: T; cull: RegExp | undefined } {
  const parsed = schema.safeParse(spec.model_config ?? {});
  if (!parsed.success) {
    throw new ConfigError(`${spec.model_name}: model_config: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`);
  }
  const cfg = parsed.data;
  try {
    return { cfg, cull: cfg.eos_to_cull === undefined ? undefined : new RegExp(cfg.eos_to_cull, 'g') };
  } catch (e) {
    throw new ConfigError(`${spec.model_name}: model_config.eos_to_cull is not a valid regex: ${(e as Error).message}`, { cause: e });
  }
}

/** One generated row of a local model, decoded. */
export interface DecodedRow {
  text: string;
  /** How generation ended: `eos` for an end-of-turn token; anything else counts as the token limit (a stop string is found here, in the text). */
  end: string;
  logprobs?: { tokenId: number; logprob: number; top: { tokenId: number; logprob: number }[] }[];
}

/**
 * The Choice of a row: the text cut at the first stop string (a stop string can also show up in a row that ended on
 * EOS or its limit, as decoding is not incremental), `eos_to_cull` removed, the finish reason, and per-token
 * log-probabilities with `tokenText` naming each token.
 */
export function localChoice(row: DecodedRow, stop: readonly string[], cull: RegExp | undefined, tokenText: (id: number) => string): Choice {
  const cut = cutAtStop(row.text, stop);
  const text = cull ? cut.text.replace(cull, '') : cut.text;
  const rawFinish = cut.stopped ? 'stop_string' : row.end === 'eos' ? 'eos' : 'max_tokens';
  const choice: Choice = { text, finish: rawFinish === 'max_tokens' ? 'length' : 'stop', rawFinish };
  if (row.logprobs) {
    choice.logprobs = row.logprobs.map((s) => {
      const entry: TokenLogprob = { token: tokenText(s.tokenId), logprob: s.logprob };
      if (s.top.length > 0) entry.top = s.top.map((t) => ({ token: tokenText(t.tokenId), logprob: t.logprob }));
      return entry;
    });
  }
  return choice;
}

/** Cuts `text` at the earliest occurrence of any stop string (the stop string itself is dropped). */
export function cutAtStop(text: string, stop: readonly string[]): { text: string; stopped: boolean } {
  let at = -1;
  for (const s of stop) {
    if (s === '') continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at < 0 ? { text, stopped: false } : { text: text.slice(0, at), stopped: true };
}
