import { afterEach, describe, expect, it } from 'vitest';
import type { LlamaConfig } from '../../../backends/onnx/llama-config.js';
import { SeededRandom } from '../../../backends/onnx/random.js';
import { randomLlamaWeights } from '../../../backends/onnx/tiny-model.js';
import type { TrainRow } from './batch.js';
import { dropoutMaskShapes, loraOptions, loraTensorShapes } from './spec.js';
import { TrainingGraph } from './training-graph.js';

const c: LlamaConfig = {
  vocabSize: 50,
  hiddenSize: 16,
  numLayers: 1,
  numHeads: 2,
  numKvHeads: 1,
  headDim: 8,
  intermediateSize: 24,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  ropeScaling: null,
  tieWordEmbeddings: true,
  maxPositionEmbeddings: 256,
  bosTokenId: null,
  eosTokenId: null,
  padTokenId: null,
};
const weights = randomLlamaWeights(c, 2);
const row = (n: number, targetsFrom: number): TrainRow => ({ ids: Array.from({ length: n }, (_, i) => (i * 7) % 50), mask: Array.from({ length: n }, (_, i) => (i >= targetsFrom ? 1 : 0)) });
const lora = loraOptions({ r: 2, alpha: 4, dropout: 0.5 });
const rng = new SeededRandom(1);
const params = new Map(loraTensorShapes(c, lora).map((s) => [s.name, rng.normals(s.shape[0]! * s.shape[1]!, 0.3)]));

const open: TrainingGraph[] = [];
afterEach(async () => {
  for (const g of open.splice(0)) await g.close();
});
function graph(options: ConstructorParameters<typeof TrainingGraph>[2]): TrainingGraph {
  const g = new TrainingGraph(c, weights, options);
  open.push(g);
  return g;
}

describe('TrainingGraph', () => {
  it('pads rows to the smallest bucket and sends only target positions to lm_head', () => {
    const g = graph({ loss: 'sft', lora });
    expect(g.bucketFor({ rows: [row(5, 3), row(11, 9)] })).toEqual({ batchSize: 2, seqLen: 16, targetRows: 16 });
    expect(g.bucketFor({ rows: [row(100, 90), row(70, 69)] })).toEqual({ batchSize: 2, seqLen: 128, targetRows: 16 });
    expect(g.bucketFor({ rows: [row(100, 1)] })).toEqual({ batchSize: 1, seqLen: 128, targetRows: 128 });
    expect(graph({ loss: 'sft', lora, targetRows: 'all' }).bucketFor({ rows: [row(100, 90)] })).toEqual({ batchSize: 1, seqLen: 128, targetRows: 128 });
    expect(() => graph({ loss: 'sft', lora, seqBuckets: [16, 32] }).bucketFor({ rows: [row(40, 1)] })).toThrow('a row has 40 tokens, longer than the largest bucket 32');
  });

  it('draws LoRA dropout masks from the run seed: same seed, same gradients', async () => {
    const g = graph({ loss: 'sft', lora });
    const batch = { rows: [row(12, 4), row(9, 2)] };
    const a = await g.run(batch, params, 5);
    const b = await g.run(batch, params, 5);
    const other = await g.run(batch, params, 6);
    const name = 'model.layers.0.mlp.down_proj.lora_A.weight';
    expect(b.loss).toBe(a.loss);
    expect(b.grads.get(name)).toEqual(a.grads.get(name));
    expect(other.grads.get(name)).not.toEqual(a.grads.get(name));
  });

  it('shares one dropout mask among the projections that read the same input, unless dropoutPerModule', async () => {
    const spec = { loss: 'sft', batchSize: 2, seqLen: 16 } as const;
    expect(dropoutMaskShapes(c, { ...spec, lora }).map((m) => `${m.name} ${m.shape.join('x')}`)).toEqual([
      'dropout.model.layers.0.q_proj+k_proj+v_proj 32x16',
      'dropout.model.layers.0.o_proj 32x16',
      'dropout.model.layers.0.gate_proj+up_proj 32x16',
      'dropout.model.layers.0.down_proj 32x24',
    ]);
    const perModule = { ...lora, dropoutPerModule: true };
    expect(dropoutMaskShapes(c, { ...spec, lora: perModule })).toHaveLength(7);
    expect(dropoutMaskShapes(c, { ...spec, lora: { ...lora, targetModules: ['v_proj', 'q_proj'] } }).map((m) => m.name)).toEqual(['dropout.model.layers.0.q_proj+v_proj']);
    // without dropout the two layouts compute the same function and gradients; with it, other masks
    const batch = { rows: [row(12, 4), row(9, 2)] };
    const off = await graph({ loss: 'sft', lora: { ...lora, dropout: 0 } }).run(batch, params, 5);
    const offPerModule = await graph({ loss: 'sft', lora: { ...perModule, dropout: 0 } }).run(batch, params, 5);
    expect(offPerModule.loss).toBeCloseTo(off.loss, 6);
    const shared = await graph({ loss: 'sft', lora }).run(batch, params, 5);
    const independent = await graph({ loss: 'sft', lora: perModule }).run(batch, params, 5);
    expect(independent.loss).not.toBeCloseTo(shared.loss, 6);
  });

  it('keeps at most maxSessions sessions and rebuilds an evicted bucket on demand', async () => {
    const g = graph({ loss: 'logprobs', lora: null, maxSessions: 1 });
    const short = await g.run({ rows: [row(10, 1)] }, new Map());
    await g.run({ rows: [row(30, 1)] }, new Map());
    const again = await g.run({ rows: [row(10, 1)] }, new Map());
    expect(again.seqLogps).toEqual(short.seqLogps);
  });

  it('says which parameter is missing or has the wrong precision', async () => {
    const g = graph({ loss: 'sft', lora });
    const missing = new Map(params);
    missing.delete('model.layers.0.self_attn.v_proj.lora_B.weight');
    await expect(g.run({ rows: [row(8, 2)] }, missing)).rejects.toThrow('no value for graph input model.layers.0.self_attn.v_proj.lora_B.weight: pass it in params');
    const f64 = new Map([...params].map(([k, v]) => [k, Float64Array.from(v)]));
    const wrong = new TrainingGraph(c, new Map([...weights].map(([k, v]) => [k, k === 'model.norm.weight' ? { shape: [8], data: v.data.subarray(0, 8) } : v])), { loss: 'sft', lora });
    open.push(wrong);
    await expect(wrong.run({ rows: [row(8, 2)] }, params)).rejects.toThrow('weight model.norm.weight has shape [8], the config gives [16]');
    await expect(g.run({ rows: [row(8, 2)] }, f64)).rejects.toThrow('is float64, the graph is float32');
  });
});
