import { afterAll, describe, expect, it } from 'vitest';
import type { LlamaConfig } from '../../../backends/onnx/llama-config.js';
import { SeededRandom } from '../../../backends/onnx/random.js';
import { randomLlamaWeights } from '../../../backends/onnx/tiny-model.js';
import type { GraphBatch, TrainRow } from './batch.js';
import { LORA_TARGETS, type LoraTarget, type LossKind, baseTensorShapes, loraOptions, loraTensorShapes } from './spec.js';
import { TrainingGraph, type TrainingGraphOptions } from './training-graph.js';

/**
 * Gradient checks of the float64 graph against (Richardson-extrapolated) central finite differences, for every trainable tensor:
 * along a random direction of each tensor (so every coordinate takes part), and per coordinate for a few.
 */
const tiny = (tie: boolean): LlamaConfig => ({
  vocabSize: 40,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 8,
  intermediateSize: 48,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  ropeScaling: null,
  tieWordEmbeddings: tie,
  maxPositionEmbeddings: 64,
  bosTokenId: null,
  eosTokenId: null,
  padTokenId: null,
});

const ROWS: TrainRow[] = [
  { ids: [1, 5, 7, 9, 3, 2, 11, 30, 8], mask: [0, 0, 0, 1, 1, 1, 1, 1, 1] },
  { ids: [4, 6, 8, 10, 12, 39], mask: [0, 0, 1, 1, 1, 1] },
  { ids: [2, 3, 5, 7, 11, 13, 17], mask: [0, 0, 0, 0, 1, 1, 1] },
  { ids: [9, 9, 9, 1, 0, 25, 26, 27], mask: [0, 0, 1, 1, 1, 1, 0, 1] },
];

interface Case {
  name: string;
  loss: LossKind;
  lora: boolean;
  full: boolean;
  tie?: boolean;
  dropout?: number;
  /** LoRA on these projections only (default all seven). */
  targets?: LoraTarget[];
  dropoutPerModule?: boolean;
  targetRows?: 'targets' | 'all';
  batch: GraphBatch;
}

const CASES: Case[] = [
  { name: 'SFT, LoRA with dropout, target rows gathered', loss: 'sft', lora: true, full: false, dropout: 0.25, batch: { rows: ROWS.slice(0, 2) } },
  { name: 'SFT, LoRA with per-module dropout masks', loss: 'sft', lora: true, full: false, dropout: 0.25, dropoutPerModule: true, batch: { rows: ROWS.slice(0, 3) } },
  { name: 'PG, LoRA on q, v, up only (frozen projections in the groups), dropout', loss: 'pg', lora: true, full: false, dropout: 0.2, targets: ['q_proj', 'v_proj', 'up_proj'], batch: { rows: ROWS.slice(1, 4), rowWeights: [1, -0.5, 2] } },
  { name: 'SFT, LoRA, all rows through lm_head', loss: 'sft', lora: true, full: false, targetRows: 'all', batch: { rows: ROWS.slice(1, 3) } },
  { name: 'PG, LoRA, per-row weights of both signs', loss: 'pg', lora: true, full: false, batch: { rows: ROWS.slice(0, 3), rowWeights: [1.5, -0.7, 0.3] } },
  { name: 'PG, LoRA, per-token weights', loss: 'pg', lora: true, full: false, batch: { rows: ROWS.slice(2, 4), tokenWeights: [[0, 0, 0, 0, 0.2, -0.5, 1], [0, 0, 1, -1, 0.5, 0.25, 9, 0.1]] } },
  { name: 'DPO, LoRA', loss: 'dpo', lora: true, full: false, dropout: 0.1, batch: { rows: ROWS, refLogps: [-30, -20, -25, -28], beta: 0.5 } },
  { name: 'SFT, full fine-tuning, tied embeddings', loss: 'sft', lora: false, full: true, tie: true, batch: { rows: ROWS.slice(0, 2) } },
  { name: 'PG, full fine-tuning', loss: 'pg', lora: false, full: true, batch: { rows: ROWS.slice(1, 4), rowWeights: [-1, 2, 0.5] } },
  { name: 'DPO, full fine-tuning with LoRA', loss: 'dpo', lora: true, full: true, batch: { rows: ROWS, refLogps: [-31, -22, -24, -27], beta: 0.1 } },
];

const graphs: TrainingGraph[] = [];
afterAll(async () => {
  for (const g of graphs) await g.close();
});

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

describe('training graph gradients (float64 vs central finite differences)', () => {
  for (const k of CASES) {
    it(k.name, async () => {
      const c = tiny(k.tie ?? false);
      const weights = randomLlamaWeights(c, 11);
      const lora = k.lora ? loraOptions({ r: 4, alpha: 8, dropout: k.dropout ?? 0, dropoutPerModule: k.dropoutPerModule ?? false, targetModules: k.targets ?? [...LORA_TARGETS] }) : null;
      const options: TrainingGraphOptions = { loss: k.loss, lora, full: k.full, precision: 'float64', seqBuckets: [8, 12, 16] };
      if (k.targetRows) options.targetRows = k.targetRows;
      const g = new TrainingGraph(c, weights, options);
      graphs.push(g);
      // LoRA B ≠ 0: with B = 0 every A gradient is exactly 0 and the check would prove nothing.
      const rng = new SeededRandom(3);
      const params = new Map<string, Float64Array>();
      for (const s of lora ? loraTensorShapes(c, lora) : []) params.set(s.name, Float64Array.from(rng.normals(s.shape[0]! * s.shape[1]!, 0.3)));
      if (k.full) for (const s of baseTensorShapes(c)) params.set(s.name, Float64Array.from(weights.get(s.name)?.data ?? []));
      const seed = 42;
      const base = await g.run(k.batch, params, seed);
      expect(Number.isFinite(base.loss)).toBe(true);
      expect([...base.grads.keys()].sort()).toEqual([...params.keys()].sort());

      const lossAt = async (name: string, dir: Float64Array, eps: number): Promise<number> => {
        const p = params.get(name) as Float64Array;
        const saved = Float64Array.from(p);
        for (let i = 0; i < p.length; i++) p[i] = (saved[i] as number) + eps * (dir[i] as number);
        const r = await g.run(k.batch, params, seed);
        p.set(saved);
        return r.loss;
      };
      // Central differences at ε and 2ε combined (Richardson): the ε² truncation term cancels, which matters
      // where the loss is strongly curved (a DPO loss through saturated attention: 1e-5 error at ε = 1e-6).
      const eps = 1e-6;
      const fdAlong = async (name: string, dir: Float64Array): Promise<number> => {
        const at = async (e: number) => ((await lossAt(name, dir, e)) - (await lossAt(name, dir, -e))) / (2 * e);
        return (4 * (await at(eps)) - (await at(2 * eps))) / 3;
      };
      let worstDir = 0;
      let worstCoord = 0;
      for (const [name, p] of params) {
        const grad = base.grads.get(name) as Float64Array;
        const dir = Float64Array.from(new SeededRandom(name.length).normals(p.length, 1));
        const fd = await fdAlong(name, dir);
        const an = dot(grad, dir);
        const err = Math.abs(fd - an) / Math.max(Math.abs(an), Math.abs(fd), 1e-9);
        worstDir = Math.max(worstDir, err);
        expect(err, `${name}: directional FD ${fd} vs analytic ${an}`).toBeLessThan(2e-6);
        // the largest-magnitude coordinate: a per-coordinate check where the gradient is well above FD noise
        let i = 0;
        for (let j = 1; j < grad.length; j++) if (Math.abs(grad[j] as number) > Math.abs(grad[i] as number)) i = j;
        const unit = new Float64Array(p.length);
        unit[i] = 1;
        const fdi = await fdAlong(name, unit);
        const erri = Math.abs(fdi - (grad[i] as number)) / Math.max(Math.abs(grad[i] as number), 1e-9);
        worstCoord = Math.max(worstCoord, erri);
        expect(erri, `${name}[${i}]: FD ${fdi} vs analytic ${grad[i]}`).toBeLessThan(2e-6);
      }
      // the float32 graph, the one training runs, gives the same gradients to float32 precision
      const g32 = new TrainingGraph(c, weights, { ...options, precision: 'float32' });
      graphs.push(g32);
      const p32 = new Map([...params].map(([name, v]) => [name, Float32Array.from(v)]));
      const r32 = await g32.run(k.batch, p32, seed);
      let worst32 = 0;
      for (const [name, g64] of base.grads) {
        const g = r32.grads.get(name) as Float32Array;
        let num = 0;
        let den = 0;
        g64.forEach((v, i) => {
          num += (v - (g[i] as number)) ** 2;
          den += v * v;
        });
        worst32 = Math.max(worst32, Math.sqrt(num / Math.max(den, 1e-30)));
      }
      expect(worst32).toBeLessThan(1e-4);
      console.log(
        `${k.name}: ${params.size} tensors, max rel. error directional ${worstDir.toExponential(1)}, per coordinate ${worstCoord.toExponential(1)}; ` +
          `float32 vs float64 gradients, max rel. L2 ${worst32.toExponential(1)}`,
      );
    });
  }
});
