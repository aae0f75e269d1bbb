import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Games outside the package import the library by its name (as a user's game does): from source, that is index.ts.
  resolve: {
    alias: [
      { find: /^clem-ts\/testing$/, replacement: fileURLToPath(new URL('./testing.ts', import.meta.url)) },
      { find: /^clem-ts$/, replacement: fileURLToPath(new URL('./index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
