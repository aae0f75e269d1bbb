import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TinyLlamaModel, writeTinyLlama } from '../onnx/index.js';
import { decodeGenerated } from './generate.js';

let root: string;
let tiny: TinyLlamaModel;
let tokenizer: PreTrainedTokenizer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clem-tf-decode-'));
  tiny = writeTinyLlama(join(root, 'tiny'), { seed: 3 });
  tokenizer = await AutoTokenizer.from_pretrained(join(root, 'tiny'), { local_files_only: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('decodeGenerated', () => {
  it('reads a row that generated nothing (EOS first) as the empty reply, where the tokenizer itself throws', () => {
    expect(() => tokenizer.decode([], { skip_special_tokens: true })).toThrow(/non-empty/);
    expect(decodeGenerated(tokenizer, [])).toBe('');
  });

  it('decodes generated ids as the tokenizer does, special tokens skipped', () => {
    const ids = tokenizer.encode('Is it an animal?', { add_special_tokens: false });
    expect(decodeGenerated(tokenizer, [...ids, tiny.tokenIds.imEnd])).toBe(tokenizer.decode(ids, { skip_special_tokens: true }));
  });
});
