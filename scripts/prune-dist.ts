/**
 * Removes what tsc left in dist/ from sources that no longer exist (a renamed or deleted .ts keeps its old .js,
 * .d.ts and .map, which `npm pack` would ship and an import could still reach). Runs after every build.
 * Usage: node dist/scripts/prune-dist.js
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The source a built file came from, relative to the project root, or null for a file tsc does not emit. */
export function sourceOf(built: string): string | null {
  const m = /^(.*?)(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js|\.json)$/.exec(built);
  if (!m) return null;
  return m[2] === '.json' ? built : `${m[1]}.ts`;
}

/**
 * Deletes every file under `dist` whose source (see {@link sourceOf}) is missing under `root`, then every folder
 * left empty; files tsc does not emit are kept. Returns the removed files, relative to `dist`.
 */
export function pruneDist(root: string, dist: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        if (readdirSync(path).length === 0) rmdirSync(path);
        continue;
      }
      const rel = relative(dist, path);
      const source = sourceOf(rel);
      if (source !== null && !existsSync(join(root, source))) {
        rmSync(path);
        removed.push(rel);
      }
    }
  };
  if (existsSync(dist)) walk(dist);
  return removed.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const removed = pruneDist(root, join(root, 'dist'));
  if (removed.length > 0) process.stdout.write(`removed ${removed.length} stale file(s) from dist/ (their sources are gone)\n`);
}
