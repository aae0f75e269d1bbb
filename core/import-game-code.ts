import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRunningFromSource } from '../registry/package-root.js';

/**
 * Imports a game's code file and returns its module namespace. `.js`/`.mjs` files, and every file when clem-ts
 * itself runs from TypeScript (vitest, tsx: their loader handles `.ts`), are imported natively. A `.ts` file under
 * compiled clem-ts goes through jiti (a maintained TypeScript loader, no build step), with `clem-ts` and
 * `clem-ts/testing` resolved to this very package: a game folder needs no node_modules of its own, and the game's
 * ParseError, RuleViolation and `z` are the ones the framework checks against.
 */
export async function importGameCode(file: string): Promise<Record<string, unknown>> {
  if (!file.endsWith('.ts') || isRunningFromSource) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const jiti = await typeScriptLoader();
  return await jiti.import<Record<string, unknown>>(file);
}

/** A fresh jiti per game load (cheap: Node caches jiti's own code), so the process holds no loader state. */
async function typeScriptLoader() {
  const { createJiti } = await import('jiti');
  return createJiti(import.meta.url, {
    // Compiled clem-ts is dist/core/import-game-code.js: the package's entry points are one level up.
    alias: {
      'clem-ts/testing': fileURLToPath(new URL('../testing.js', import.meta.url)),
      'clem-ts': fileURLToPath(new URL('../index.js', import.meta.url)),
    },
    // Transformed code is cached beside the merged models ($CLEM_TS_CACHE, else ~/.cache/clem-ts), keyed by the
    // source's content: a second start skips the transform (bench: 1.1 s → ~0.1 s more than a compiled game).
    fsCache: join(process.env.CLEM_TS_CACHE ?? join(homedir(), '.cache', 'clem-ts'), 'jiti'),
    // Nothing in memory: a game edited between two loads in one process is read again.
    moduleCache: false,
  });
}
