/**
 * A small GPT-2 style byte-level BPE tokenizer, trained in-process on a fixed corpus, written as the HF
 * `tokenizer.json` + `tokenizer_config.json` pair that transformers.js reads. Lossless for any UTF-8 text
 * (the 256 byte symbols are always in the vocabulary); merges only shorten sequences. Deterministic.
 */

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** ChatML, as used by Qwen/SmolLM-Instruct: `<|im_start|>role\ncontent<|im_end|>\n`. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const CORPUS = `Let's play a game of twenty questions. I am thinking of an animal. Is it a mammal? Yes, it is.
Does it live in the water? No. Is it bigger than a dog? Yes. Is it a horse? No. Is it an elephant? Yes!
You guessed the word in seven questions. The word is apple. Is it a fruit? Is it red? Is it something you can eat?
Taboo: describe the word without saying the taboo words. Wordle: guess the five letter word. The answer is correct.
Please answer with yes or no only. QUESTION: Is it a tool? ANSWER: no. GUESS: the word is table.
The quick brown fox jumps over the lazy dog. 0 1 2 3 4 5 6 7 8 9 10 42 100. Hello, world! Thank you.`;

const PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's byte → printable-character map (byte-level BPE). */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const map = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + n++);
  return map;
}

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Ids of the special tokens. */
  ids: { endOfText: number; imStart: number; imEnd: number };
}

/**
 * Builds a byte-level BPE tokenizer with exactly `vocabSize` entries: 256 bytes, merges learned from the
 * built-in corpus (pairs seen at least twice), unreachable filler tokens if the corpus runs out, and the
 * three ChatML special tokens as the last ids. Throws if `vocabSize` < 259.
 */
export function buildByteBpeTokenizer(vocabSize: number): TokenizerFiles {
  const nRegular = vocabSize - SPECIAL_TOKENS.length;
  if (nRegular < 256) throw new Error(`vocabSize ${vocabSize} is too small (at least ${256 + SPECIAL_TOKENS.length})`);
  const b2u = byteToUnicode();
  const enc = new TextEncoder();
  const words = new Map<string, number>();
  for (const m of CORPUS.matchAll(PRETOKENIZE)) {
    const w = Array.from(enc.encode(m[0]), (b) => b2u[b] as string).join('\u0000');
    words.set(w, (words.get(w) ?? 0) + 1);
  }
  let seqs = [...words].map(([w, count]) => ({ symbols: w.split('\u0000'), count }));
  const vocab: string[] = [...b2u];
  const known = new Set(vocab);
  const merges: string[] = [];
  while (vocab.length < nRegular) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of seqs) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 1;
    for (const [k, n] of pairs) if (n > bestCount || (n === bestCount && best !== null && k < best)) [best, bestCount] = [k, n];
    if (best === null) break;
    const [a, b] = best.split(' ') as [string, string];
    const joined = a + b;
    merges.push(best);
    if (!known.has(joined)) {
      vocab.push(joined);
      known.add(joined);
    }
    seqs = seqs.map(({ symbols, count }) => {
      const out: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (symbols[i] === a && symbols[i + 1] === b) {
          out.push(joined);
          i++;
        } else out.push(symbols[i] as string);
      }
      return { symbols: out, count };
    });
  }
  for (let i = 0; vocab.length < nRegular; i++) vocab.push(`<filler_${i}>`);
  const vocabObj: Record<string, number> = {};
  vocab.forEach((t, i) => (vocabObj[t] = i));
  const ids = { endOfText: nRegular, imStart: nRegular + 1, imEnd: nRegular + 2 };
  const added = SPECIAL_TOKENS.map((content, i) => ({
    id: nRegular + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: vocabObj,
      merges,
    },
  };
  const addedDecoder: Record<string, unknown> = {};
  for (const { id, ...rest } of added) addedDecoder[String(id)] = rest;
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    add_bos_token: false,
    add_eos_token: false,
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    model_max_length: 2048,
    clean_up_tokenization_spaces: false,
    added_tokens_decoder: addedDecoder,
    chat_template: CHATML_TEMPLATE,
  };
  return { tokenizerJson, tokenizerConfig, ids };
}
