import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';

// Browser-safe: no Node built-ins, so the neutral platform (a `node:` import would fail the build).
export default defineConfig(packageBuild(['src/index.ts'], { platform: 'neutral', target: 'es2022' }));
