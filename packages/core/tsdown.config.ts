import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';

// One entry per subpath export (package.json `exports`): the root, /ops, /models, /sse, /adapter, /protocols; and the CLI.
export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    ops: 'src/exports/ops.ts',
    models: 'src/exports/models.ts',
    sse: 'src/exports/sse.ts',
    adapter: 'src/exports/adapter.ts',
    protocols: 'src/exports/protocols.ts',
    cli: 'src/cli.ts',
  }),
);
