import { createRng } from '../../base/rng.js';

/** Seeded pseudo-random numbers (base/rng.ts's mulberry32): the same seed gives the same sequence on every machine. */
export class SeededRandom {
  /** Uniform in [0, 1). */
  readonly next: () => number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.next = createRng(seed).next;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A Float32Array of `n` normal values scaled by `std` and shifted by `mean`. */
  normals(n: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }
}
