import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';

// Browser-safe: no Node built-ins, so the neutral platform (a `node:` import would fail the build).
// The wire types come from @flowllm/core (a dev dependency, type-only imports): the declarations inline
// them, so users of the client need not install core.
export default defineConfig(
  packageBuild(['src/index.ts'], {
    platform: 'neutral',
    target: 'es2022',
    dts: { resolve: ['@flowllm/core'], resolver: 'tsc' },
  }),
);
