import { defineConfig, mergeConfig } from 'vitest/config';
import root from '../../vitest.config.ts';

// The root config (sources resolved through the `@flowllm/<name>` alias), plus what the suite needs:
// `global.gc` for the memory checks, longer timeouts, and one file at a time so the figures of one part
// are not skewed by another running beside it.
export default mergeConfig(
  root,
  defineConfig({
    test: {
      pool: 'forks',
      poolOptions: { forks: { execArgv: ['--expose-gc'], singleFork: false } },
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 30_000,
    },
  }),
);
