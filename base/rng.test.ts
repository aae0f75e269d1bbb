import { describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { createRng, hashSeed } from './rng.js';

describe('createRng', () => {
  it('is mulberry32: the published first value for seed 42, and the same stream for the same seed', () => {
    expect(createRng(42).next()).toBe(0.6011037519201636);
    const a = createRng(9);
    const b = createRng(9);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(createRng(10).next()).not.toBe(createRng(9).next());
  });

  it('int stays in [0, n), shuffle permutes without changing its input, pick refuses an empty list', () => {
    const rng = createRng(1);
    const ints = Array.from({ length: 500 }, () => rng.int(6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    const items = [1, 2, 3, 4, 5, 6];
    const shuffled = createRng(7).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
    expect(thrownMessage(() => rng.pick([]))).toBe('pick from an empty list');
  });
});

describe('hashSeed', () => {
  it('is 32-bit FNV-1a (0xe40c292c for "a") and separates its parts', () => {
    expect(hashSeed('a')).toBe(0xe40c292c);
    expect(hashSeed(0, 'hello', 'one_round', 3)).toBe(hashSeed(0, 'hello', 'one_round', 3));
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
  });
});
