import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { toStrictJson, writeFileAtomicAsync, writeJsonAtomic, writeJsonAtomicAsync } from './atomic.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('atomic JSON writes', () => {
  it('writes strict JSON and refuses NaN and Infinity instead of writing null or a NaN token', () => {
    expect(toStrictJson({ a: null, b: [1.5] })).toBe('{\n  "a": null,\n  "b": [\n    1.5\n  ]\n}\n');
    expect(thrownMessage(() => toStrictJson({ score: Number.NaN }))).toBe('refusing to write the non-finite number NaN at score as JSON; use null');
    expect(thrownMessage(() => toStrictJson([Number.NEGATIVE_INFINITY]))).toBe('refusing to write the non-finite number -Infinity at [0] as JSON; use null');
  });

  it('replaces the file whole, creates folders, and leaves no temporary file', async () => {
    const dir = tmp.make();
    const file = join(dir, 'a', 'b', 'x.json');
    writeJsonAtomic(file, { v: 1 });
    await writeJsonAtomicAsync(file, { v: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 2 });
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['x.json']);
  });

  it('a refused value leaves the previous file as it was', async () => {
    const file = join(tmp.make(), 'x.json');
    writeFileSync(file, '{"v": 1}');
    expect(() => writeJsonAtomic(file, { v: Number.NaN })).toThrow(TypeError);
    await expect(writeJsonAtomicAsync(file, { v: Number.NaN })).rejects.toThrow(TypeError);
    expect(readFileSync(file, 'utf8')).toBe('{"v": 1}');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('a failed async write removes its temporary file', async () => {
    const dir = tmp.make();
    // A non-empty folder where the file should go: the rename fails after the temporary file was written.
    mkdirSync(join(dir, 'x.json', 'inside'), { recursive: true });
    await expect(writeFileAtomicAsync(join(dir, 'x.json'), 'text')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});
