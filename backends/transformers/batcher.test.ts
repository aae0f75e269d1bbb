import { describe, expect, it } from 'vitest';
import { DynamicBatcher } from './batcher.js';
import { cutAtStop } from '../local-choice.js';

interface Job {
  id: string;
  key: string;
  rows: number;
}

function recorder(fail?: (ids: string[]) => boolean) {
  const batches: string[][] = [];
  const batcher = new DynamicBatcher<Job, string>(
    async (jobs) => {
      const ids = jobs.map((j) => j.id);
      batches.push(ids);
      if (fail?.(ids)) throw new Error(`batch ${ids.join('+')} failed`);
      return ids.map((id) => `done ${id}`);
    },
    { windowMs: 0, maxRows: 4, keyOf: (j) => j.key, rowsOf: (j) => j.rows },
  );
  return { batcher, batches };
}

const job = (id: string, key = 'greedy', rows = 1): Job => ({ id, key, rows });

describe('DynamicBatcher', () => {
  it('batches jobs submitted together, splitting by key and by maxRows', async () => {
    const { batcher, batches } = recorder();
    const results = await Promise.all([
      batcher.submit(job('a')),
      batcher.submit(job('b', 'sample')),
      batcher.submit(job('c', 'greedy', 2)),
      batcher.submit(job('d', 'greedy', 2)),
      batcher.submit(job('e')),
      batcher.submit(job('f', 'greedy', 6)),
    ]);
    expect(results).toEqual(['done a', 'done b', 'done c', 'done d', 'done e', 'done f']);
    expect(batches).toEqual([['a', 'c', 'e'], ['b'], ['d'], ['f']]);
  });

  it('runs jobs that arrive during a batch together in the next one', async () => {
    const { batcher, batches } = recorder();
    const first = batcher.submit(job('a'));
    await new Promise((r) => setImmediate(r)); // let batch [a] start
    const later = [batcher.submit(job('b')), batcher.submit(job('c'))];
    await Promise.all([first, ...later]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('rejects an aborted job without running it, and fails only the batch that threw', async () => {
    const { batcher, batches } = recorder((ids) => ids.includes('bad'));
    const controller = new AbortController();
    const aborted = batcher.submit(job('x'), controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    const bad = batcher.submit(job('bad', 'k1'));
    const good = batcher.submit(job('good', 'k2'));
    await expect(bad).rejects.toThrow('batch bad failed');
    await expect(good).resolves.toBe('done good');
    expect(batches).toEqual([['bad'], ['good']]);
  });
});

describe('cutAtStop', () => {
  it('cuts at the earliest stop string', () => {
    expect(cutAtStop('yes. no. maybe', ['no', '.'])).toEqual({ text: 'yes', stopped: true });
    expect(cutAtStop('yes', ['', 'x'])).toEqual({ text: 'yes', stopped: false });
  });
});
