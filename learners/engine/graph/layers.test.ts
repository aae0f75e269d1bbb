import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../backends/onnx/random.js';
import { dropoutMasks } from './batch.js';
import { linear } from './layers.js';
import { GradTape } from './tape.js';

describe('LoRA dropout', () => {
  it('draws masks that keep 1 − p of the values, the same for the same seed', () => {
    const shapes = [{ name: 'dropout.a', shape: [300, 500] }];
    const a = dropoutMasks(shapes, 0.1, 7)['dropout.a']?.data as Uint8Array;
    const again = dropoutMasks(shapes, 0.1, 7)['dropout.a']?.data as Uint8Array;
    const other = dropoutMasks(shapes, 0.1, 8)['dropout.a']?.data as Uint8Array;
    const kept = a.reduce((n, v) => n + v, 0) / a.length;
    expect(Math.abs(kept - 0.9)).toBeLessThan(0.003);
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
  });

  it('drops with probability p at every position of the 32-element groups, tails included', () => {
    for (const p of [0.1, 0.5, 0.93]) {
      // 1000·999 elements: not a multiple of 32, so the last group is partial
      const m = dropoutMasks([{ name: 'dropout.a', shape: [1000, 999] }], p, 3)['dropout.a']?.data as Uint8Array;
      const lanes = new Float64Array(32);
      m.forEach((v, i) => {
        lanes[i % 32] = (lanes[i % 32] as number) + v;
      });
      const perLane = m.length / 32;
      const sd = Math.sqrt((p * (1 - p)) / perLane);
      for (const kept of lanes) expect(Math.abs(kept / perLane - (1 - p))).toBeLessThan(5 * sd);
      const tail = m.subarray(m.length - (m.length % 32));
      expect(tail.length).toBeGreaterThan(0);
      expect(tail.every((v) => v === 0 || v === 1)).toBe(true);
    }
    const none = dropoutMasks([{ name: 'dropout.a', shape: [64, 33] }], 0, 1)['dropout.a']?.data as Uint8Array;
    expect(none.every((v) => v === 1)).toBe(true);
  });

  it('draws neighbouring elements independently', () => {
    const m = dropoutMasks([{ name: 'dropout.a', shape: [2000, 500] }], 0.5, 9)['dropout.a']?.data as Uint8Array;
    // P(both dropped) for elements 1 and 32 apart must be p² (0.25), not p (0.5) or 0
    for (const lag of [1, 32]) {
      let both = 0;
      for (let i = 0; i + lag < m.length; i++) both += m[i] === 0 && m[i + lag] === 0 ? 1 : 0;
      expect(Math.abs(both / (m.length - lag) - 0.25)).toBeLessThan(0.003);
    }
  });

  it('applies the mask to the LoRA branch input only: y = x·Wᵀ + s·((x⊙m)/(1−p))·Aᵀ·Bᵀ', async () => {
    const [n, inp, out, r, p, scale] = [3, 5, 4, 2, 0.4, 1.5];
    const t = new GradTape('float32');
    const x = t.input('x', [n, inp]);
    const w = t.input('w', [out, inp]);
    const a = t.input('a', [r, inp], true);
    const b = t.input('b', [out, r], true);
    const y = linear(t, x, w, { a, b, scale, dropout: { mask: t.inputBool('m', [n, inp]), keep: 1 / (1 - p) } });
    t.op('Identity', [y.name], {}, 'y');
    t.output('y', [n, out]);
    const session = await ort.InferenceSession.create(t.graph.toBytes());
    const rng = new SeededRandom(4);
    const [xv, wv, av, bv] = [rng.normals(n * inp, 1), rng.normals(out * inp, 1), rng.normals(r * inp, 1), rng.normals(out * r, 1)];
    const mask = Uint8Array.from({ length: n * inp }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const res = await session.run({
      x: new ort.Tensor('float32', xv, [n, inp]),
      w: new ort.Tensor('float32', wv, [out, inp]),
      a: new ort.Tensor('float32', av, [r, inp]),
      b: new ort.Tensor('float32', bv, [out, r]),
      m: new ort.Tensor('bool', mask, [n, inp]),
    });
    const got = res.y?.data as Float32Array;
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < out; o++) {
        let base = 0;
        for (let k = 0; k < inp; k++) base += xv[i * inp + k]! * wv[o * inp + k]!;
        let lora = 0;
        for (let j = 0; j < r; j++) {
          let xa = 0;
          for (let k = 0; k < inp; k++) xa += ((xv[i * inp + k]! * mask[i * inp + k]!) / (1 - p)) * av[j * inp + k]!;
          lora += xa * bv[o * r + j]!;
        }
        expect(got[i * out + o]).toBeCloseTo(base + scale * lora, 4);
      }
    }
    await session.release();
  });
});
