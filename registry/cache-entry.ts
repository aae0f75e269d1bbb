import { z } from 'zod';
import { JsonValueSchema } from './json.js';

/**
 * One cached reply (backends/wrappers/cache.ts): `<cache dir>/<key[0:2]>/<key>-<sample>.json`, written
 * atomically. One file per sample, so a request for n samples reuses the samples already cached. Unknown keys
 * are refused (clem-ts's own format).
 */
export const CacheEntrySchema = z
  .strictObject({
    format_version: z.literal(1),
    created_at: z.iso.datetime().describe('When the reply was received.'),
    model: z.string().describe('model_name of the entry that made it (for people; the key holds the identity).'),
    sample: z.number().int().nonnegative().describe('Sample index under this key.'),
    choice: z.strictObject({
      text: z.string(),
      reasoning: z.string().optional(),
      finish: z.enum(['stop', 'length', 'content_filter', 'error', 'other']),
      rawFinish: z.string().optional(),
      logprobs: z
        .array(
          z.strictObject({
            token: z.string(),
            logprob: z.number(),
            top: z.array(z.strictObject({ token: z.string(), logprob: z.number() })).optional(),
          }),
        )
        .optional(),
    }),
    usage: z.strictObject({ input_tokens: z.number().int().nonnegative(), output_tokens: z.number().int().nonnegative() }).describe('Of the original request (all its samples).'),
    latency_ms: z.number().nonnegative().describe('Of the original request.'),
    cost_usd: z.number().nonnegative().nullable(),
    call: z.strictObject({ request: JsonValueSchema, response: JsonValueSchema }).describe('What went over the wire originally.'),
  })
  .describe('A cached model reply (clem-ts run --cache).');

export type CacheEntry = z.infer<typeof CacheEntrySchema>;
