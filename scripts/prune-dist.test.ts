import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { pruneDist, sourceOf } from './prune-dist.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

function touch(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
}

describe('pruneDist', () => {
  it('maps built files to their sources', () => {
    expect(['a/b.js', 'a/b.js.map', 'a/b.d.ts', 'a/b.d.ts.map', 'r/kb.json', 'x.txt'].map(sourceOf)).toEqual(['a/b.ts', 'a/b.ts', 'a/b.ts', 'a/b.ts', 'r/kb.json', null]);
  });

  it('removes what deleted sources left, keeps the rest, and drops folders left empty', () => {
    const root = tmp.make();
    const dist = join(root, 'dist');
    touch(join(root, 'core', 'kept.ts'));
    touch(join(root, 'games', 'kb.json'));
    for (const f of ['core/kept.js', 'core/kept.js.map', 'core/kept.d.ts', 'games/kb.json', 'notes.txt']) touch(join(dist, f));
    for (const f of ['core/gone.js', 'core/gone.js.map', 'core/gone.d.ts', 'old/only.js', 'games/old.json']) touch(join(dist, f));
    expect(pruneDist(root, dist)).toEqual(['core/gone.d.ts', 'core/gone.js', 'core/gone.js.map', 'games/old.json', 'old/only.js']);
    for (const f of ['core/kept.js', 'core/kept.js.map', 'core/kept.d.ts', 'games/kb.json', 'notes.txt']) expect(existsSync(join(dist, f))).toBe(true);
    expect(existsSync(join(dist, 'old'))).toBe(false);
    expect(pruneDist(root, join(root, 'no-dist'))).toEqual([]);
  });
});
