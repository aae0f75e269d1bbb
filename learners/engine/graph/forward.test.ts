import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LlamaWeights } from '../../../backends/onnx/llama-config.js';
import { type PeftAdapter, mergeLoraInto } from '../../../backends/onnx/peft-adapter.js';
import { SeededRandom } from '../../../backends/onnx/random.js';
import { logSoftmaxRows, referenceLogits } from '../../../backends/onnx/reference-forward.js';
import { encodeHalf, writeSafetensors } from '../../../backends/onnx/safetensors.js';
import { writeTinyLlama } from '../../../backends/onnx/tiny-model.js';
import { tempDirs } from '../../../test/helpers/temp-dir.js';
import type { TrainRow } from './batch.js';
import { loadTrainingModel } from './model.js';
import { loraOptions, loraScale, loraTensorShapes } from './spec.js';
import { TrainingGraph } from './training-graph.js';

const temp = tempDirs('clem-train-graph-');
const open: TrainingGraph[] = [];
afterEach(async () => {
  for (const g of open.splice(0)) await g.close();
  temp.cleanup();
});

function graph(...args: ConstructorParameters<typeof TrainingGraph>): TrainingGraph {
  const g = new TrainingGraph(...args);
  open.push(g);
  return g;
}

const ROWS: TrainRow[] = [
  { ids: [5, 77, 300, 12, 9, 260, 41, 7, 99, 100, 3], mask: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1] },
  { ids: [17, 18, 19, 250, 251], mask: [0, 0, 1, 1, 1] },
];

/** Summed log-probs of the masked targets of each row by the independent plain-TS forward. */
function referenceSeqLogps(model: ReturnType<typeof loadTrainingModel>, weights: LlamaWeights, rows: TrainRow[]): number[] {
  const V = model.config.vocabSize;
  return rows.map((r) => {
    const lp = logSoftmaxRows(referenceLogits(model.config, weights, Array.from(r.ids)), V);
    let s = 0;
    for (let t = 1; t < r.ids.length; t++) if (r.mask[t]) s += lp[(t - 1) * V + (r.ids[t] as number)] as number;
    return s;
  });
}

describe('training graph forward', () => {
  it('gives the reference forward’s sequence log-probs with the LoRA adapter merged, padded rows included', async () => {
    const dir = temp.make();
    writeTinyLlama(dir, { seed: 4 });
    const model = loadTrainingModel(dir);
    const lora = loraOptions({ r: 4, alpha: 8, dropout: 0.1 });
    const rng = new SeededRandom(9);
    const params = new Map(loraTensorShapes(model.config, lora).map((s) => [s.name, rng.normals(s.shape[0]! * s.shape[1]!, 0.2)]));
    const adapter: PeftAdapter = { dir, config: { r: 4, lora_alpha: 8, target_modules: [...lora.targetModules] }, scale: loraScale(lora), pairs: new Map() };
    for (const s of loraTensorShapes(model.config, lora)) {
      if (!s.name.endsWith('.lora_A.weight')) continue;
      const module = s.name.slice(0, -'.lora_A.weight'.length);
      const b = loraTensorShapes(model.config, lora).find((x) => x.name === `${module}.lora_B.weight`);
      adapter.pairs.set(module, { a: { shape: s.shape, data: params.get(s.name)! }, b: { shape: b!.shape, data: params.get(b!.name)! } });
    }
    const merged: LlamaWeights = new Map([...model.weights].map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]));
    mergeLoraInto(merged, adapter);
    const expected = referenceSeqLogps(model, merged, ROWS);

    const forward = await graph(model.config, model.weights, { loss: 'logprobs', lora }).run({ rows: ROWS }, params);
    const embedded = await graph(model.config, model.weights, { loss: 'logprobs', lora, weights: 'initializers' }).run({ rows: ROWS }, params);
    // the path of graphs over 2 GiB: weights in an external data file beside the model
    const external = await graph(model.config, model.weights, { loss: 'logprobs', lora, weights: 'initializers', externalDataAboveBytes: 0 }).run({ rows: ROWS }, params);
    // the training graph's forward (dropout off: masks would change the values)
    const sft = await graph(model.config, model.weights, { loss: 'sft', lora: { ...lora, dropout: 0 } }).run({ rows: ROWS }, params);
    for (const out of [forward, embedded, external, sft]) {
      expect(out.seqLogps.length).toBe(2);
      out.seqLogps.forEach((v, i) => expect(Math.abs(v - (expected[i] as number)), `row ${i}: ${v} vs ${expected[i]}`).toBeLessThan(2e-4));
    }
    // SFT loss = mean negative log-likelihood over all target tokens of the batch
    const targets = ROWS.reduce((n, r) => n + Array.from(r.mask).filter((m) => m !== 0).length, 0);
    expect(sft.loss).toBeCloseTo(-(expected[0]! + expected[1]!) / targets, 4);
    expect(sft.tokenLogps.length).toBe(targets);
  });

  it('DPO loss is ln 2 at step 0, when the policy (LoRA B = 0) equals the reference', async () => {
    const dir = temp.make();
    writeTinyLlama(dir, { seed: 5 });
    const model = loadTrainingModel(dir);
    const lora = loraOptions({ r: 8, alpha: 16 });
    // PEFT's initial state: A random, B = 0
    const rng = new SeededRandom(1);
    const params = new Map(loraTensorShapes(model.config, lora).map((s) => [s.name, s.name.endsWith('lora_B.weight') ? new Float32Array(s.shape[0]! * s.shape[1]!) : rng.normals(s.shape[0]! * s.shape[1]!, 0.1)]));
    const pairs: TrainRow[] = [ROWS[0]!, { ids: [1, 2, 3, 4], mask: [0, 0, 1, 1] }, ROWS[1]!, { ids: [8, 9, 10, 11, 12, 13], mask: [0, 0, 0, 1, 1, 1] }];
    const reference = await graph(model.config, model.weights, { loss: 'logprobs', lora: null }).run({ rows: pairs }, new Map());
    const dpo = await graph(model.config, model.weights, { loss: 'dpo', lora }).run({ rows: pairs, refLogps: reference.seqLogps }, params, 7);
    expect(Math.abs(dpo.loss - Math.LN2)).toBeLessThan(1e-6);
    const [aName, bName] = ['model.layers.0.self_attn.q_proj.lora_A.weight', 'model.layers.0.self_attn.q_proj.lora_B.weight'];
    expect(dpo.grads.get(aName)!.every((x) => x === 0)).toBe(true); // B = 0 blocks the A gradient
    expect(dpo.grads.get(bName)!.some((x) => x !== 0)).toBe(true);
  });

  it('computes each loss from the log-probs as defined (SFT mean NLL, weighted PG, sigmoid DPO)', async () => {
    const dir = temp.make();
    writeTinyLlama(dir, { seed: 8 });
    const model = loadTrainingModel(dir);
    const lora = loraOptions({ r: 4, alpha: 8, dropout: 0 });
    const rng = new SeededRandom(2);
    const params = new Map(loraTensorShapes(model.config, lora).map((s) => [s.name, rng.normals(s.shape[0]! * s.shape[1]!, 0.2)]));
    const rows: TrainRow[] = [ROWS[0]!, ROWS[1]!, { ids: [1, 2, 3, 4], mask: [0, 0, 1, 1] }, { ids: [8, 9, 10, 11, 12, 13], mask: [0, 0, 0, 1, 1, 1] }];
    const run = (loss: 'sft' | 'pg' | 'dpo', batch: Omit<Parameters<TrainingGraph['run']>[0], 'rows'>) =>
      graph(model.config, model.weights, { loss, lora }).run({ rows, ...batch }, params);
    const sft = await run('sft', {});
    const n = sft.tokenLogps.length;
    expect(sft.loss).toBeCloseTo(-sft.tokenLogps.reduce((a, b) => a + b, 0) / n, 5);
    const rowWeights = [2, -1, 0.5, -3];
    const pg = await run('pg', { rowWeights });
    expect(pg.loss).toBeCloseTo(-pg.seqLogps.reduce((a, s, b) => a + (rowWeights[b] as number) * s, 0) / n, 5);
    const refLogps = [-40, -20, -15, -22];
    const beta = 0.3;
    const dpo = await run('dpo', { refLogps, beta });
    const lp = dpo.seqLogps;
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const expected = [0, 1].map((p) => softplus(-beta * (lp[p]! - refLogps[p]! - (lp[p + 2]! - refLogps[p + 2]!))));
    expect(dpo.loss).toBeCloseTo((expected[0]! + expected[1]!) / 2, 5);
  });

  for (const dtype of ['F16', 'BF16'] as const) {
    it(`loads a ${dtype} model.safetensors (converted to float32) and runs the graph on it`, async () => {
      const dir = temp.make();
      writeTinyLlama(dir, { seed: 6 });
      const f32 = loadTrainingModel(dir);
      const tensors = new Map([...f32.weights].map(([k, t]) => [k, { dtype, shape: t.shape, bytes: new Uint8Array(encodeHalf(t.data, dtype).buffer) }]));
      writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
      const half = loadTrainingModel(dir);
      const relStep = dtype === 'F16' ? 2 ** -11 : 2 ** -8;
      let changed = 0;
      let beyondRounding = 0;
      for (const [name, t] of f32.weights) {
        const h = half.weights.get(name)!;
        expect(h.shape).toEqual(t.shape);
        t.data.forEach((v, i) => {
          const d = Math.abs((h.data[i] as number) - v);
          if (d > 0) changed += 1;
          if (d > Math.abs(v) * relStep + 6e-8) beyondRounding += 1;
        });
      }
      expect(changed).toBeGreaterThan(0);
      expect(beyondRounding).toBe(0);
      const out = await graph(half.config, half.weights, { loss: 'logprobs', lora: null }).run({ rows: ROWS }, new Map());
      const expected = referenceSeqLogps(half, half.weights, ROWS);
      out.seqLogps.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(2e-4));
    });
  }

  it('names the folder and the missing file when a model folder is incomplete', () => {
    const dir = temp.make();
    writeTinyLlama(dir, { seed: 1 });
    rmSync(join(dir, 'tokenizer.json'));
    expect(() => loadTrainingModel(dir)).toThrow(`training base model folder '${dir}' has no tokenizer.json; copy the model's tokenizer files into it.`);
    writeFileSync(join(dir, 'config.json'), readFileSync(join(dir, 'config.json'), 'utf8').replace('"llama"', '"gpt2"'));
    expect(() => loadTrainingModel(dir)).toThrow(/config\.json: not a supported Llama config/);
  });
});
