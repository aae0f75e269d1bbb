import { describe, expect, it } from 'vitest';
import { unify } from './unify.js';

describe('unify (nltk featstruct semantics)', () => {
  it('keeps keys from both sides and unifies shared ones recursively', () => {
    expect(unify({ a: 1, c: { x: 1 } }, { b: 2, c: { y: 2 } })).toEqual({ a: 1, b: 2, c: { x: 1, y: 2 } });
  });

  it('fails on a scalar conflict at any depth', () => {
    expect(unify({ a: 1 }, { a: 2 })).toBeUndefined();
    expect(unify({ c: { x: 1 } }, { c: { x: '1' } })).toBeUndefined();
    expect(unify({ a: { x: 1 } }, { a: 1 })).toBeUndefined();
  });

  it('unifies lists element-wise, only of equal length', () => {
    expect(unify({ l: ['en', { k: 1 }] }, { l: ['en', { j: 2 }] })).toEqual({ l: ['en', { k: 1, j: 2 }] });
    expect(unify({ l: ['en'] }, { l: ['en', 'de'] })).toBeUndefined();
    expect(unify({ l: ['en', 'de'] }, { l: ['de', 'en'] })).toBeUndefined();
  });
});
