import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run on source: `@flowllm/<name>` resolves to packages/<name>/src/index.ts.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@flowllm\/([a-z0-9-]+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
