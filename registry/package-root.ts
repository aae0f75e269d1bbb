import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding clem-ts's package.json, whether running from source (tsx/vitest) or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'game_registry.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('clem-ts: cannot find the package root (package.json beside game_registry.json)');
    dir = up;
  }
}

/** True when this module runs from TypeScript source (vitest, tsx), false from compiled dist/. */
export const isRunningFromSource = import.meta.url.endsWith('.ts');

/**
 * Where a packaged game's compiled code lives: `<root>/games/x` → `<root>/dist/games/x` (assets stay in the
 * source folder; code is compiled into dist/). Returns undefined for folders outside the package.
 */
export function compiledMirror(folder: string): string | undefined {
  const root = packageRoot();
  const rel = relative(root, folder);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') return undefined;
  return join(root, 'dist', rel);
}
