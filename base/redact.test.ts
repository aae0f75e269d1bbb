import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
import { Redactor, redactedForWrite, registerSecrets } from './redact.js';

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

describe('the secrets this process loaded', () => {
  it('are masked in every text file base/atomic.ts writes; bytes are written as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clem-redact-'));
    try {
      const secret = 'sk-loaded-0123456789abcdef';
      expect(redactedForWrite(`key ${secret}`)).toBe(`key ${secret}`);
      registerSecrets([{ value: secret, mask: 'sk-l...cdef' }, { value: 'short', mask: '****rt' }]);
      expect(redactedForWrite(`key ${secret}, short`)).toBe('key sk-l...cdef, short');
      writeFileAtomic(join(dir, 'a.txt'), `sync ${secret}`);
      await writeFileAtomicAsync(join(dir, 'b.txt'), `async ${secret}`);
      writeFileAtomic(join(dir, 'c.bin'), Buffer.from(secret));
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('sync sk-l...cdef');
      expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('async sk-l...cdef');
      expect(readFileSync(join(dir, 'c.bin'), 'utf8')).toBe(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
