import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { decodeGgml, encodeGgml } from './gguf-quant.js';
import { permuteRopeRows, writeLoraGguf } from './llama-gguf.js';
import { writeRandomPeftAdapter } from './peft-adapter.js';
import { writeTinyLlama } from './tiny-model.js';
import { CHATML_TEMPLATE } from './tokenizer-writer.js';

const tmp = tempDirs('clem-gguf-');
afterEach(() => tmp.cleanup());

describe('GGUF quantizers (ggml reference rounding)', () => {
  it('Q8_0 stores an f16 scale amax/127 and rounded int8 values per block of 32', () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => (i - 16) * 127 / 16); // amax 127 → scale 1
    const bytes = encodeGgml(x, 'Q8_0');
    expect(bytes.length).toBe(34);
    expect(Buffer.from(bytes.subarray(0, 2)).readUInt16LE(0)).toBe(0x3c00); // 1.0 in f16
    expect(Array.from(new Int8Array(bytes.buffer, 2, 32))).toEqual(Array.from(x, (v) => Math.round(v)));
  });

  it('Q4_0 packs element j in the low nibble and j+16 in the high nibble, scale max/-8', () => {
    const x = new Float32Array(32);
    x[0] = -8; // the largest magnitude: scale -8/-8 = 1, stored as q = x/d + 8
    x[1] = 3;
    x[16] = 7;
    x[17] = -2;
    const bytes = encodeGgml(x, 'Q4_0');
    expect(bytes.length).toBe(18);
    expect(Buffer.from(bytes.subarray(0, 2)).readUInt16LE(0)).toBe(0x3c00);
    expect(bytes[2]).toBe(0 | (15 << 4));
    expect(bytes[3]).toBe(11 | (6 << 4));
    expect(bytes[4]).toBe(8 | (8 << 4));
  });

  // Q4_0 has 8 levels below zero and 7 above: a value of the opposite sign to the block's extreme is capped at
  // 7 steps, one step off at worst; everything else is within half a step (plus the scale's f16 rounding).
  it('round-trip within half a quantization step (Q4_0: one step at the capped end)', () => {
    const x = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));
    for (const [type, levels, steps] of [['Q8_0', 127, 0.5], ['Q4_0', 8, 1]] as const) {
      const back = decodeGgml(encodeGgml(x, type), type, x.length);
      for (let b = 0; b < 8; b++) {
        const block = x.subarray(b * 32, b * 32 + 32);
        const amax = Math.max(...Array.from(block, Math.abs));
        const step = amax / levels;
        for (let j = 0; j < 32; j++) expect(Math.abs((back[b * 32 + j] as number) - (block[j] as number))).toBeLessThanOrEqual(step * steps + amax / 1024); // + the f16 rounding of the scale
      }
    }
  });
});

describe('RoPE row permutation (HF rotate-half → llama.cpp interleaved)', () => {
  it('moves row two·D/2 + j of each head to 2j + two', () => {
    const rows = Float32Array.from({ length: 8 }, (_, i) => i); // 2 heads of D = 4, one column
    expect(Array.from(permuteRopeRows(rows, 2, 1))).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
  });
});

describe('writeLlamaGguf (through writeTinyLlama)', () => {
  it('writes a GGUF v3 that an independent reader (node-llama-cpp) reads back: keys, tokenizer, tensors', async () => {
    const dir = tmp.make();
    const model = writeTinyLlama(dir, { seed: 3, gguf: ['F32', 'Q8_0'], skipOnnx: true, safetensors: false });
    const info = await readGgufFileInfo(model.ggufFiles.F32 as string, { readTensorInfo: true, logWarnings: false });
    expect(info.version).toBe(3);
    const md = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(md.general).toMatchObject({ architecture: 'llama', type: 'model', file_type: 0 });
    expect(md.llama).toMatchObject({ block_count: 2, embedding_length: 64, feed_forward_length: 128, vocab_size: 384, rope: { dimension_count: 16 } });
    expect((md.llama?.attention as Record<string, unknown>).head_count_kv).toBe(2);
    const tok = md.tokenizer as { ggml: Record<string, unknown>; chat_template: string };
    expect(tok.chat_template).toBe(CHATML_TEMPLATE);
    expect(tok.ggml).toMatchObject({ model: 'gpt2', pre: 'gpt-2', eos_token_id: model.tokenIds.imEnd, bos_token_id: model.tokenIds.endOfText, add_bos_token: false });
    expect((tok.ggml.tokens as string[])[model.tokenIds.imStart]).toBe('<|im_start|>');
    expect((tok.ggml.token_type as number[])[model.tokenIds.imEnd]).toBe(3);
    const names = info.tensorInfo?.map((t) => t.name) ?? [];
    expect(names).toHaveLength(1 + 2 * 9 + 2);
    expect(names).toContain('blk.1.ffn_down.weight');
    const q = info.tensorInfo?.find((t) => t.name === 'blk.0.attn_k.weight');
    expect(q?.dimensions.map(Number)).toEqual([64, 32]);

    const q8 = await readGgufFileInfo(model.ggufFiles.Q8_0 as string, { readTensorInfo: true, logWarnings: false });
    const types = new Map(q8.tensorInfo?.map((t) => [t.name, t.ggmlType]));
    expect(types.get('blk.0.attn_q.weight')).toBe(8);
    expect(types.get('blk.0.attn_norm.weight')).toBe(0);
    expect(statSync(model.ggufFiles.Q8_0 as string).size).toBeLessThan(statSync(model.ggufFiles.F32 as string).size / 3);
  });

  it('writes the same bytes for the same seed', () => {
    const a = writeTinyLlama(tmp.make(), { seed: 5, gguf: ['Q4_0'], skipOnnx: true, safetensors: false });
    const b = writeTinyLlama(tmp.make(), { seed: 5, gguf: ['Q4_0'], skipOnnx: true, safetensors: false });
    expect(readFileSync(a.ggufFiles.Q4_0 as string).equals(readFileSync(b.ggufFiles.Q4_0 as string))).toBe(true);
  });

  it('writes a PEFT adapter as a llama.cpp LoRA GGUF with alpha = scale·r', async () => {
    const model = writeTinyLlama(tmp.make(), { seed: 3, skipOnnx: true, safetensors: false });
    const adapter = writeRandomPeftAdapter(join(model.dir, 'adapter'), model.config, { r: 4, alpha: 8 });
    const path = join(model.dir, 'lora.gguf');
    writeLoraGguf(path, model.config, adapter);
    const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
    const md = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(md.general).toMatchObject({ type: 'adapter', architecture: 'llama' });
    expect(md.adapter).toMatchObject({ type: 'lora', lora: { alpha: 8 } });
    const a = info.tensorInfo?.find((t) => t.name === 'blk.0.attn_q.weight.lora_a');
    const b = info.tensorInfo?.find((t) => t.name === 'blk.0.attn_q.weight.lora_b');
    expect(a?.dimensions.map(Number)).toEqual([64, 4]);
    expect(b?.dimensions.map(Number)).toEqual([4, 64]);
  });
});
