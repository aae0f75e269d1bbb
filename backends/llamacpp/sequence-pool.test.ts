import { describe, expect, it } from 'vitest';
import { SequencePool, sharedPrefix } from './sequence-pool.js';

const seq = (name: string, tokens: number[]) => ({ name, contextTokens: tokens });

describe('SequencePool', () => {
  it('lends the free sequence whose cached tokens share the longest prefix with the prompt', async () => {
    const a = seq('a', [1, 2]);
    const b = seq('b', [1, 2, 3, 4, 9]);
    const c = seq('c', []);
    const pool = new SequencePool([a, b, c]);
    expect((await pool.acquire([1, 2, 3, 4, 5])).name).toBe('b');
    expect((await pool.acquire([7])).name).toBe('a'); // no prefix anywhere: the first free one
    expect(pool.busy).toBe(2);
    expect(sharedPrefix([1, 2, 3], [1, 2, 4])).toBe(2);
  });

  it('makes later requests wait, first come first served, and lets an aborted wait go', async () => {
    const pool = new SequencePool([seq('only', [])]);
    const held = await pool.acquire([1]);
    const order: string[] = [];
    const first = pool.acquire([1]).then((s) => order.push(`first:${s.name}`));
    const ctl = new AbortController();
    const aborted = pool.acquire([1], ctl.signal).catch((e: unknown) => order.push(`aborted:${String(e)}`));
    const third = pool.acquire([1]).then((s) => {
      order.push(`third:${s.name}`);
      pool.release(s);
    });
    ctl.abort('stop');
    await aborted;
    pool.release(held);
    await first;
    pool.release(held);
    await third;
    expect(order).toEqual(['aborted:stop', 'first:only', 'third:only']);
  });
});
