import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Rules import the DSL as 'siemc', as a user's rules would; in this repo that is src/.
    alias: { siemc: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    env: {
      // Builds the tests run start no type-check servers (src/loader/check-server.ts); the tests
      // of the server turn it on for their own builds.
      SIEMC_CHECK_SERVER: 'off',
      // The user's cache folder (TypeScript's code cache, src/cache/code-cache.ts) inside the repository's .cache/.
      XDG_CACHE_HOME: fileURLToPath(new URL('./.cache/xdg', import.meta.url)),
    },
  },
});
