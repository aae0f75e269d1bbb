import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LlamaConfig, SafetensorsFile, readPeftAdapter } from '../../backends/onnx/index.js';
import { packageRoot } from '../../registry/package-root.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { peftTensorKey, writePeftAdapter } from './peft-output.js';
import { LORA_TARGETS, loraOptions, loraTensorShapes } from './graph/index.js';
import { initLoraTensors } from './trainable.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

function llama(over: Partial<LlamaConfig>): LlamaConfig {
  return {
    vocabSize: 32000, hiddenSize: 4096, numLayers: 32, numHeads: 32, numKvHeads: 32, headDim: 128, intermediateSize: 11008, rmsNormEps: 1e-5,
    ropeTheta: 10000, ropeScaling: null, tieWordEmbeddings: false, maxPositionEmbeddings: 4096, bosTokenId: 1, eosTokenId: 2, padTokenId: null, ...over,
  };
}

const settings = loraOptions({ r: 4, alpha: 16, dropout: 0.1 });

describe('PEFT adapter output', () => {
  it("names and shapes every tensor as PEFT saved them for Llama-2-7B (r 64, all seven projections)", () => {
    const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'peft', 'llama2-7b-r64-layer0.json'), 'utf8')) as { tensors: Record<string, number[]> };
    const ours: Record<string, number[]> = {};
    for (const { name, shape } of loraTensorShapes(llama({}), loraOptions({ r: 64, targetModules: [...LORA_TARGETS] }))) {
      if (name.startsWith('model.layers.0.')) ours[peftTensorKey(name)] = shape;
    }
    expect(ours).toEqual(fixture.tensors);
  });

  it('uses the KV width for k/v with grouped-query attention', () => {
    const shapes = loraTensorShapes(llama({ hiddenSize: 2048, numHeads: 32, numKvHeads: 8, headDim: 64, intermediateSize: 8192, numLayers: 1 }), loraOptions({ r: 8, targetModules: ['k_proj', 'o_proj'] }));
    expect(shapes.map((t) => [peftTensorKey(t.name), t.shape])).toEqual([
      ['base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight', [8, 2048]],
      ['base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight', [512, 8]],
      ['base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight', [8, 2048]],
      ['base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight', [2048, 8]],
    ]);
  });

  it('initialises as PEFT does (B = 0, A within ±1/√in) and reproducibly from the seed', () => {
    const config = llama({ hiddenSize: 64, numHeads: 4, numKvHeads: 2, headDim: 16, intermediateSize: 96, numLayers: 2 });
    const a = initLoraTensors(config, settings, 1);
    expect(a).toHaveLength(2 * 7 * 2);
    for (const t of a) {
      if (t.name.endsWith('lora_B.weight')) expect(t.data.every((x) => x === 0)).toBe(true);
      else expect(Math.max(...t.data.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(t.shape[1] as number));
    }
    expect(initLoraTensors(config, settings, 1)[0]?.data).toEqual(a[0]?.data);
    expect(initLoraTensors(config, settings, 2)[0]?.data).not.toEqual(a[0]?.data);
  });

  it('writes a folder the merge path reads back with the same tensors and scale', () => {
    const config = llama({ hiddenSize: 32, numHeads: 4, numKvHeads: 2, headDim: 8, intermediateSize: 48, numLayers: 2 });
    const tensors = initLoraTensors(config, settings, 3);
    tensors.forEach((t, i) => t.data.forEach((_, j) => (t.data[j] = Math.sin(i * 31 + j))));
    const dir = join(tmp.make(), 'adapter');
    writePeftAdapter(dir, tensors, settings, '/models/base');
    const back = readPeftAdapter(dir);
    expect(back.scale).toBe(4);
    expect(back.config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 16, lora_dropout: 0.1, base_model_name_or_path: '/models/base', task_type: 'CAUSAL_LM' });
    expect(back.pairs.size).toBe(14);
    const q = back.pairs.get('model.layers.1.self_attn.q_proj');
    const src = tensors.find((t) => t.name === 'model.layers.1.self_attn.q_proj.lora_B.weight');
    expect(q?.b.shape).toEqual([32, 4]);
    expect(q?.b.data).toEqual(src?.data);
    const file = SafetensorsFile.open(join(dir, 'adapter_model.safetensors'));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.entries.values()].every((e) => e.dtype === 'F32')).toBe(true);
  });
});
