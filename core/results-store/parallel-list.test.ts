import { expect, it } from 'vitest';
import { defaultReadThreads } from './parallel-list.js';

it('reads with one worker beside the main thread on 2–3 cores, up to 4 on more, unless CLEM_TS_READ_THREADS says otherwise', () => {
  expect([1, 2, 3, 4, 6, 16].map((cores) => defaultReadThreads({}, cores))).toEqual([0, 1, 1, 3, 4, 4]);
  expect(defaultReadThreads({ CLEM_TS_READ_THREADS: '0' }, 16)).toBe(0);
  expect(defaultReadThreads({ CLEM_TS_READ_THREADS: '2' }, 2)).toBe(2);
  expect(defaultReadThreads({ CLEM_TS_READ_THREADS: '8' }, 4)).toBe(4);
  expect(defaultReadThreads({ CLEM_TS_READ_THREADS: 'many' }, 8)).toBe(4);
});
