import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildByteBpeTokenizer } from './tokenizer-writer.js';
import { writeTinyLlama } from './tiny-model.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clem-tok-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('byte-level BPE tokenizer', () => {
  it('round-trips any text through transformers.js and renders the ChatML template', async () => {
    const model = writeTinyLlama(join(dir, 'tiny'));
    const tok = await AutoTokenizer.from_pretrained(join(dir, 'tiny'), { local_files_only: true });
    const text = "Let's play taboo! The word is ü…? 42 \u{1F600}\n\ttabs";
    const ids = tok.encode(text, { add_special_tokens: false });
    expect(tok.decode(ids)).toBe(text);
    expect(ids.length).toBeLessThan(new TextEncoder().encode(text).length); // merges shorten it
    const chat = tok.apply_chat_template([{ role: 'user', content: 'Hi' }], { tokenize: false, add_generation_prompt: true });
    expect(chat).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    const chatIds = tok.encode(chat as string, { add_special_tokens: false });
    expect(chatIds[0]).toBe(model.tokenIds.imStart);
    expect(chatIds.filter((id) => id === model.tokenIds.imEnd)).toHaveLength(1);
  });

  it('has exactly vocabSize entries, specials last', () => {
    const t = buildByteBpeTokenizer(1000);
    const vocab = (t.tokenizerJson.model as { vocab: Record<string, number> }).vocab;
    expect(Object.keys(vocab)).toHaveLength(997);
    expect(t.ids).toEqual({ endOfText: 997, imStart: 998, imEnd: 999 });
    expect(() => buildByteBpeTokenizer(258)).toThrow('vocabSize 258 is too small (at least 259)');
  });
});
