import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run on source: `@flowllm/<name>` resolves to packages/<name>/src/index.ts, and a subpath export
// `@flowllm/<name>/<sub>` to packages/<name>/src/exports/<sub>.ts.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@flowllm\/([a-z0-9-]+)\/([a-z0-9-]+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/exports/$2.ts', import.meta.url)),
      },
      {
        find: /^@flowllm\/([a-z0-9-]+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    // Hang guards, not speed limits: under `CI=true bash .ci/run` turbo runs several suites at once on a
    // 2-core machine that other jobs also keep busy, which slows CPU-bound tests by 10x or more.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
