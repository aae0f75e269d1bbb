import { describe, expect, it } from 'vitest';
import { adamWSlot, adamWStep, clipFactor, globalNorm } from './adamw.js';

const opts = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/** Textbook AdamW (Loshchilov & Hutter with PyTorch's ordering), written independently of adamw.ts. */
function reference(p0: number[], grads: number[][], lr: number, wd: number): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      p[i] = (p[i] as number) - lr * wd * (p[i] as number);
      m[i] = 0.9 * (m[i] as number) + 0.1 * (g[i] as number);
      v[i] = 0.999 * (v[i] as number) + 0.001 * (g[i] as number) ** 2;
      const mHat = (m[i] as number) / (1 - 0.9 ** (t + 1));
      const vHat = (v[i] as number) / (1 - 0.999 ** (t + 1));
      p[i] = (p[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  });
  return p;
}

describe('adamWStep', () => {
  it('matches the textbook update over several steps, with decoupled weight decay', () => {
    const p0 = [0.5, -1.25, 2, 0.001];
    const grads = [
      [0.1, -0.2, 0.3, 0],
      [-0.05, 0.4, 0.1, 1e-3],
      [0.2, 0.2, -0.7, -2],
    ];
    const slot = adamWSlot(Float32Array.from(p0));
    grads.forEach((g, t) => adamWStep([slot], [Float32Array.from(g)], 0.01, t + 1, { ...opts, weightDecay: 0.1 }));
    const want = reference(p0, grads, 0.01, 0.1);
    for (let i = 0; i < p0.length; i++) expect(slot.param[i]).toBeCloseTo(want[i] as number, 6);
  });

  it('moves each weight by about lr·sign(g) on the first step (bias correction on)', () => {
    const slot = adamWSlot(Float32Array.from([1, 1, 1]));
    adamWStep([slot], [Float32Array.from([3, -1e-3, 50])], 0.1, 1, opts);
    expect(Array.from(slot.param).map((x) => Number(x.toFixed(4)))).toEqual([0.9, 1.1, 0.9]);
  });

  it('only decays, by lr·λ·p, where the gradient is zero; not at all for slots without decay', () => {
    const a = adamWSlot(Float32Array.from([2, -4]));
    const b = adamWSlot(Float32Array.from([2, -4]), false);
    adamWStep([a, b], [new Float32Array(2), new Float32Array(2)], 0.5, 1, { ...opts, weightDecay: 0.1 });
    expect(Array.from(a.param)).toEqual([1.9, -3.8].map(Math.fround));
    expect(Array.from(b.param)).toEqual([2, -4]);
  });

  it('refuses gradients that do not fit the parameters', () => {
    expect(() => adamWStep([adamWSlot(new Float32Array(3))], [new Float32Array(2)], 0.1, 1, opts)).toThrow(/gradient 0 has 2 values for a parameter of 3/);
  });
});

describe('clipping', () => {
  it('computes the global norm over all tensors and clips as torch does', () => {
    const n = globalNorm([Float32Array.from([3, 0]), Float32Array.from([4])]);
    expect(n).toBe(5);
    expect(clipFactor(n, 1)).toBeCloseTo(1 / (5 + 1e-6), 12);
    expect(clipFactor(n, 10)).toBe(1);
    expect(clipFactor(n, 0)).toBe(1);
  });
});
