import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

const KEY = 'sk-test-0123456789abcdef';
const redactor = new Redactor([{ value: KEY, mask: 'sk-t...cdef' }, { value: 'EMPTY', mask: '****TY' }]);

describe('Redactor', () => {
  it('replaces every occurrence of every key in text', () => {
    expect(redactor.text(`Bearer ${KEY}; again ${KEY}`)).toBe('Bearer sk-t...cdef; again sk-t...cdef');
    expect(redactor.text('nothing here')).toBe('nothing here');
  });

  it('redacts every string of a JSON value, keys included, and keeps clean parts by reference', () => {
    const clean = { a: [1, 'x'] };
    const value = { clean, reply: { text: `your key is ${KEY}` }, [KEY]: true, n: null };
    const out = redactor.value(value);
    expect(out).toEqual({ clean, reply: { text: 'your key is sk-t...cdef' }, 'sk-t...cdef': true, n: null });
    expect(out.clean).toBe(clean);
    expect(redactor.value(clean)).toBe(clean);
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it('leaves placeholders shorter than 8 characters alone; a longer secret inside another is replaced whole', () => {
    expect(redactor.text('EMPTY')).toBe('EMPTY');
    const nested = new Redactor([{ value: 'abcdefgh', mask: 'A' }, { value: 'abcdefgh-ijkl', mask: 'B' }]);
    expect(nested.text('abcdefgh-ijkl abcdefgh')).toBe('B A');
    expect(new Redactor([{ value: 'abcdefgh', mask: 'xxabcdefgh' }]).text('abcdefgh')).toBe('[REDACTED]');
    expect(Redactor.none.text(KEY)).toBe(KEY);
  });
});
