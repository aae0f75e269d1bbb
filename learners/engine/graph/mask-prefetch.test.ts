import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dropoutMasks } from './batch.js';
import { MaskPrefetcher } from './mask-prefetch.js';

// The worker runs compiled code: `npm test` builds dist/ first.
const COMPILED = new URL('../../../dist/learners/engine/graph/mask-worker.js', import.meta.url);
const SHAPES = [
  { name: 'dropout.a', shape: [300, 97] },
  { name: 'dropout.b', shape: [300, 250] },
];
const data = (m: Record<string, { data: ArrayBufferView }>) => Object.values(m).map((t) => Array.from(t.data as Uint8Array));

const open: MaskPrefetcher[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

describe('dropout masks drawn ahead on a worker thread', () => {
  it('gives the masks the main thread draws, byte for byte, run after run', async () => {
    expect(existsSync(fileURLToPath(COMPILED)), 'run `npm run build` first: the worker runs dist/').toBe(true);
    const p = new MaskPrefetcher(true, COMPILED);
    open.push(p);
    expect(p.ahead).toBe(true);
    p.request(SHAPES, 0.1, 11);
    for (const seed of [11, 12, 13]) {
      const masks = await p.take(SHAPES, 0.1, seed);
      p.request(SHAPES, 0.1, seed + 1); // while "the session runs" on these masks
      expect(data(masks)).toEqual(data(dropoutMasks(SHAPES, 0.1, seed)));
      p.recycle(masks);
    }
  });

  it('draws on the main thread what was not requested, or requested for another run', async () => {
    const p = new MaskPrefetcher(true, COMPILED);
    open.push(p);
    p.request(SHAPES, 0.1, 5);
    const other = await p.take(SHAPES, 0.1, 6); // the worker drew seed 5: discarded, 6 drawn here
    expect(data(other)).toEqual(data(dropoutMasks(SHAPES, 0.1, 6)));
    p.recycle(other);
    const shorter = [{ name: 'dropout.a', shape: [10, 97] }];
    p.request(SHAPES, 0.1, 7);
    expect(data(await p.take(shorter, 0.1, 7))).toEqual(data(dropoutMasks(shorter, 0.1, 7)));
    const off = new MaskPrefetcher(false, COMPILED);
    open.push(off);
    expect(off.ahead).toBe(false);
    off.request(SHAPES, 0.5, 1);
    expect(data(await off.take(SHAPES, 0.5, 1))).toEqual(data(dropoutMasks(SHAPES, 0.5, 1)));
  });
});
