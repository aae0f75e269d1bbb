import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LlamaConfig, LlamaWeights } from './llama-config.js';
import { referenceLogits } from './reference-forward.js';
import { SafetensorsFile } from './safetensors.js';
import { writeTinyLlama } from './tiny-model.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clem-onnx-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function loadWeights(path: string): LlamaWeights {
  const f = SafetensorsFile.open(path);
  return new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
}

const i64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]?.length ?? 0]);

/** Runs the ONNX model on one batch; `past` empty unless given. Returns logits and presents. */
async function run(session: ort.InferenceSession, c: LlamaConfig, ids: number[][], mask: number[][], pos: number[][], past?: Record<string, ort.Tensor>, keep = 0) {
  const feeds: Record<string, ort.Tensor> = { input_ids: i64(ids), attention_mask: i64(mask), position_ids: i64(pos), num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.from([BigInt(keep)]), []) };
  for (let l = 0; l < c.numLayers; l++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kv}`] = past?.[`present.${l}.${kv}`] ?? new ort.Tensor('float32', new Float32Array(0), [ids.length, c.numKvHeads, 0, c.headDim]);
    }
  }
  return session.run(feeds);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('buildLlamaGraph', () => {
  it('matches the plain-TS forward, with the KV cache and with left padding', async () => {
    const model = writeTinyLlama(dir, { seed: 3 });
    const c = model.config;
    const w = loadWeights(join(dir, 'model.safetensors'));
    const ids = [5, 77, 300, 12, 9, 260, 41];
    const ref = referenceLogits(c, w, ids);
    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
    try {
      const S = ids.length;
      const full = await run(session, c, [ids], [Array(S).fill(1)], [ids.map((_, i) => i)]);
      expect(maxDiff(full.logits?.data as Float32Array, ref)).toBeLessThan(1e-4);

      // num_logits_to_keep = 2: only the last two positions.
      const lastTwo = await run(session, c, [ids], [Array(S).fill(1)], [ids.map((_, i) => i)], undefined, 2);
      expect(lastTwo.logits?.dims).toEqual([1, 2, c.vocabSize]);
      expect(maxDiff(lastTwo.logits?.data as Float32Array, ref.subarray((S - 2) * c.vocabSize))).toBeLessThan(1e-4);

      // Prefix of 4, then 3 more tokens fed with the cache.
      const first = await run(session, c, [ids.slice(0, 4)], [[1, 1, 1, 1]], [[0, 1, 2, 3]]);
      const second = await run(session, c, [ids.slice(4)], [Array(S).fill(1)], [[4, 5, 6]], first as Record<string, ort.Tensor>);
      expect(maxDiff(second.logits?.data as Float32Array, ref.subarray(4 * c.vocabSize))).toBeLessThan(1e-4);

      // Row 1 is the same sequence left-padded by 2 in a batch of 2 beside a longer row.
      const other = [1, 2, 3, 4, 5, 6, 7, 8, 9];
      const padded = [0, 0, ...ids];
      const batch = await run(session, c, [other, padded], [Array(9).fill(1), [0, 0, ...Array(S).fill(1)]], [other.map((_, i) => i), [1, 1, ...ids.map((_, i) => i)]]);
      const row1 = (batch.logits?.data as Float32Array).subarray((9 + 2) * c.vocabSize, 18 * c.vocabSize);
      expect(maxDiff(row1, ref)).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });

  it('writes identical bytes for the same seed, different for another', () => {
    writeTinyLlama(join(dir, 'a'), { seed: 1 });
    writeTinyLlama(join(dir, 'b'), { seed: 1 });
    writeTinyLlama(join(dir, 'c'), { seed: 2 });
    for (const f of ['onnx/model.onnx', 'model.safetensors', 'tokenizer.json', 'config.json']) {
      expect(readFileSync(join(dir, 'a', f)).equals(readFileSync(join(dir, 'b', f)))).toBe(true);
    }
    expect(readFileSync(join(dir, 'a', 'onnx/model.onnx')).equals(readFileSync(join(dir, 'c', 'onnx/model.onnx')))).toBe(false);
  });

  it('handles tied embeddings, MHA and external data in several chunks', async () => {
    const model = writeTinyLlama(dir, { seed: 4, tieWordEmbeddings: true, numKvHeads: 4, externalData: true, chunkBytes: 40_000 });
    const files = readdirSync(join(dir, 'onnx')).sort();
    expect(files.length).toBeGreaterThan(3);
    expect(files.slice(0, 3)).toEqual(['model.onnx', 'model.onnx_data', 'model.onnx_data_1']);
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, { use_external_data_format: number }>;
    expect(cfg['transformers.js_config']?.use_external_data_format).toBe(files.length - 1);
    const w = loadWeights(join(dir, 'model.safetensors'));
    expect(w.has('lm_head.weight')).toBe(false);
    const ids = [10, 20, 30, 40];
    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
    try {
      const out = await run(session, model.config, [ids], [[1, 1, 1, 1]], [[0, 1, 2, 3]]);
      expect(maxDiff(out.logits?.data as Float32Array, referenceLogits(model.config, w, ids))).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});
