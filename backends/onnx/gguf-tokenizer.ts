import { z } from 'zod';
import { type GgufValue, gguf } from './gguf-file.js';

/** The two HF tokenizer files, as read (parsed here by their schemas). */
export interface HfTokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig: unknown;
}

const AddedTokenSchema = z.looseObject({ id: z.number().int().nonnegative(), content: z.string(), special: z.boolean().optional() });

/** The parts of an HF `tokenizer.json` a byte-level BPE GGUF needs; other keys are kept and ignored. */
const BpeTokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(AddedTokenSchema).default([]),
  model: z.looseObject({
    type: z.literal('BPE').describe('Only BPE tokenizers (GPT-2 style, byte level) can be written to GGUF here.'),
    vocab: z.record(z.string(), z.number().int().nonnegative()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
  }),
});

const TokenRefSchema = z.union([z.string(), z.looseObject({ content: z.string() }), z.null()]).optional();

/** The parts of `tokenizer_config.json` written to GGUF: special tokens and the chat template. */
const TokenizerConfigSchema = z.looseObject({
  bos_token: TokenRefSchema,
  eos_token: TokenRefSchema,
  pad_token: TokenRefSchema,
  add_bos_token: z.boolean().optional(),
  chat_template: z.union([z.string(), z.array(z.looseObject({ name: z.string(), template: z.string() }))]).optional(),
});

// llama.cpp token types (llama.h: enum llama_token_type).
const NORMAL = 1;
const CONTROL = 3;
const USER_DEFINED = 4;
const UNUSED = 5;

function parse<T>(schema: z.ZodType<T>, what: string, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

const tokenText = (ref: z.infer<typeof TokenRefSchema>) => (ref == null ? undefined : typeof ref === 'string' ? ref : ref.content);

/**
 * The `tokenizer.*` GGUF metadata of a byte-level BPE tokenizer (`tokenizer.ggml.model` gpt2): tokens in id order
 * (padded to `vocabSize` with unused `[PAD<id>]` entries, as llama.cpp's converter does), their types (special
 * added tokens are control tokens), merges as "a b" strings, the bos/eos/padding ids, `add_bos_token` and the
 * chat template (the default one when the config lists several). Throws naming the file and field that does not fit.
 */
export function ggufTokenizerMetadata(files: HfTokenizerFiles, vocabSize: number, preTokenizer: string): [string, GgufValue][] {
  const tok = parse(BpeTokenizerJsonSchema, 'tokenizer.json', files.tokenizerJson);
  const cfg = parse(TokenizerConfigSchema, 'tokenizer_config.json', files.tokenizerConfig);
  const tokens = new Array<string | undefined>(vocabSize);
  const types = new Int32Array(vocabSize).fill(UNUSED);
  const place = (content: string, id: number, type: number) => {
    if (id >= vocabSize) throw new Error(`tokenizer.json: token '${content}' has id ${id}, beyond the model's vocabulary of ${vocabSize}`);
    tokens[id] = content;
    types[id] = type;
  };
  for (const [content, id] of Object.entries(tok.model.vocab)) place(content, id, NORMAL);
  for (const t of tok.added_tokens) place(t.content, t.id, t.special === false ? USER_DEFINED : CONTROL);
  const list = Array.from(tokens, (t, id) => t ?? `[PAD${id}]`);
  const idOf = (ref: z.infer<typeof TokenRefSchema>, field: string): number | undefined => {
    const text = tokenText(ref);
    if (text === undefined) return undefined;
    const id = list.indexOf(text);
    if (id < 0) throw new Error(`tokenizer_config.json: ${field} '${text}' is not a token of tokenizer.json`);
    return id;
  };
  const out: [string, GgufValue][] = [
    ['tokenizer.ggml.model', gguf.string('gpt2')],
    ['tokenizer.ggml.pre', gguf.string(preTokenizer)],
    ['tokenizer.ggml.tokens', gguf.strings(list)],
    ['tokenizer.ggml.token_type', gguf.i32s(types)],
    ['tokenizer.ggml.merges', gguf.strings(tok.model.merges.map((m) => (typeof m === 'string' ? m : m.join(' '))))],
  ];
  for (const [key, field] of [
    ['tokenizer.ggml.bos_token_id', 'bos_token'],
    ['tokenizer.ggml.eos_token_id', 'eos_token'],
    ['tokenizer.ggml.padding_token_id', 'pad_token'],
  ] as const) {
    const id = idOf(cfg[field], field);
    if (id !== undefined) out.push([key, gguf.u32(id)]);
  }
  out.push(['tokenizer.ggml.add_bos_token', gguf.bool(cfg.add_bos_token ?? false)]);
  out.push(['tokenizer.ggml.add_eos_token', gguf.bool(false)]);
  const template = typeof cfg.chat_template === 'string' ? cfg.chat_template : cfg.chat_template?.find((t) => t.name === 'default')?.template;
  if (template !== undefined) out.push(['tokenizer.chat_template', gguf.string(template)]);
  return out;
}
