import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import type { LlamaConfig, LlamaWeights } from './llama-config.js';
import { prepareOnnxLlama } from './lora-merge.js';
import { writeRandomPeftAdapter } from './peft-adapter.js';
import { type LoraPair, referenceLogits } from './reference-forward.js';
import { SafetensorsFile, encodeHalf, writeSafetensors } from './safetensors.js';
import { writeTinyLlama } from './tiny-model.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'clem-lora-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const IDS = [3, 141, 59, 265, 35, 89, 79];

function readWeights(path: string): LlamaWeights {
  const f = SafetensorsFile.open(path);
  return new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
}

/** Logits of an ONNX model folder for one unpadded sequence, through onnxruntime-node directly. */
async function onnxLogits(dir: string, c: LlamaConfig, ids: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
  try {
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const feeds: Record<string, ort.Tensor> = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)), position_ids: t(ids.map((_, i) => i)), num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.from([0n]), []) };
    for (let l = 0; l < c.numLayers; l++) {
      for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, c.numKvHeads, 0, c.headDim]);
    }
    return (await session.run(feeds)).logits?.data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('prepareOnnxLlama with a LoRA adapter', () => {
  it('merged logits equal the base forward plus scale·B·A applied on the fly', async () => {
    const base = writeTinyLlama(join(root, 'base'), { seed: 5 });
    const adapter = writeRandomPeftAdapter(join(root, 'adapter'), base.config, { r: 4, alpha: 8, seed: 9 });
    expect(adapter.scale).toBe(2);
    expect(adapter.pairs.size).toBe(2 * 4);
    const { dir, reused } = prepareOnnxLlama({ baseDir: join(root, 'base'), adapterDir: join(root, 'adapter'), cacheDir: join(root, 'cache') });
    expect(reused).toBe(false);
    const weights = readWeights(join(root, 'base', 'model.safetensors'));
    const lora = new Map<string, LoraPair>([...adapter.pairs].map(([m, p]) => [m, { ...p, scale: adapter.scale }]));
    const merged = await onnxLogits(dir, base.config, IDS);
    expect(maxDiff(merged, referenceLogits(base.config, weights, IDS, lora))).toBeLessThan(1e-4);
    expect(maxDiff(merged, referenceLogits(base.config, weights, IDS))).toBeGreaterThan(0.1);
    // The merged folder is complete for transformers.js: tokenizer and generation config come along.
    expect(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).toBe(readFileSync(join(root, 'base', 'tokenizer.json'), 'utf8'));
    expect(prepareOnnxLlama({ baseDir: join(root, 'base'), adapterDir: join(root, 'adapter'), cacheDir: join(root, 'cache') })).toEqual({ dir, reused: true });
    writeRandomPeftAdapter(join(root, 'adapter2'), base.config, { seed: 10 });
    expect(prepareOnnxLlama({ baseDir: join(root, 'base'), adapterDir: join(root, 'adapter2'), cacheDir: join(root, 'cache') }).dir).not.toBe(dir);
  });

  it('a zero-B adapter leaves the logits unchanged', async () => {
    const base = writeTinyLlama(join(root, 'base'), { seed: 6 });
    writeRandomPeftAdapter(join(root, 'zero'), base.config, { zeroB: true, targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] });
    const { dir } = prepareOnnxLlama({ baseDir: join(root, 'base'), adapterDir: join(root, 'zero'), cacheDir: join(root, 'cache') });
    expect(maxDiff(await onnxLogits(dir, base.config, IDS), await onnxLogits(join(root, 'base'), base.config, IDS))).toBe(0);
  });

  it.each(['BF16', 'F16'] as const)('converts a %s checkpoint with tied embeddings and llama3 rope scaling', async (dtype) => {
    const tiny = writeTinyLlama(join(root, 'f32'), { seed: 8, tieWordEmbeddings: true });
    const dir = join(root, 'half');
    cpSync(join(root, 'f32'), dir, { recursive: true });
    rmSync(join(dir, 'onnx'), { recursive: true });
    const weights = readWeights(join(dir, 'model.safetensors'));
    writeSafetensors(join(dir, 'model.safetensors'), new Map([...weights].map(([k, t]) => [k, { dtype, shape: t.shape, bytes: new Uint8Array(encodeHalf(t.data, dtype).buffer) }])));
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const ropeScaling = { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8 };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, rope_scaling: ropeScaling, torch_dtype: dtype === 'BF16' ? 'bfloat16' : 'float16' }));
    const config: LlamaConfig = { ...tiny.config, ropeScaling: { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8 } };
    const halfWeights = readWeights(join(dir, 'model.safetensors'));
    expect(maxDiff(halfWeights.get('model.norm.weight')?.data ?? [], weights.get('model.norm.weight')?.data ?? [])).toBeLessThan(dtype === 'BF16' ? 1e-2 : 1e-3);
    const out = prepareOnnxLlama({ baseDir: dir, cacheDir: join(root, 'cache') });
    expect(maxDiff(await onnxLogits(out.dir, config, IDS), referenceLogits(config, halfWeights, IDS))).toBeLessThan(1e-4);
  });

  it('names the missing base or adapter folder in a ConfigError', () => {
    const base = writeTinyLlama(join(root, 'base'), {});
    const missingBase = join(root, 'no-base');
    let err: unknown = null;
    try {
      prepareOnnxLlama({ baseDir: missingBase, adapterDir: join(root, 'x'), cacheDir: root });
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe(
      `LoRA base model folder '${missingBase}' has no config.json and model.safetensors (or model.safetensors.index.json). ` +
        `Download the checkpoint, e.g. \`huggingface-cli download meta-llama/Llama-3.2-1B-Instruct --local-dir ${missingBase}\`, and point huggingface_id at that folder.`,
    );
    const missingAdapter = join(root, 'no-adapter');
    expect(() => prepareOnnxLlama({ baseDir: base.dir, adapterDir: missingAdapter, cacheDir: root })).toThrow(
      `PEFT adapter folder '${missingAdapter}' has no adapter_config.json and adapter_model.safetensors. ` +
        `Download the adapter, e.g. \`huggingface-cli download <adapter-id> --local-dir ${missingAdapter}\`, and point model_config.peft_model at that folder.`,
    );
    const brokenAdapter = join(root, 'broken-adapter');
    mkdirSync(brokenAdapter);
    writeFileSync(join(brokenAdapter, 'adapter_config.json'), '{"r": 4,');
    writeFileSync(join(brokenAdapter, 'adapter_model.safetensors'), '');
    err = null;
    try {
      prepareOnnxLlama({ baseDir: base.dir, adapterDir: brokenAdapter, cacheDir: root });
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message.startsWith(`${join(brokenAdapter, 'adapter_config.json')}: not readable JSON (`)).toBe(true);
  });
});
