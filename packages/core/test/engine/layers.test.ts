// The layers of packages/core/src (see src/README.md): a module imports, at run time, only from its own
// layer or those below it, and the engine knows no ops of its own (the registry is passed in).
import { describe, expect, it } from 'vitest';
import { CORE_SRC, sourceFiles } from '../helpers/source-files.js';

/** Lowest first. A top-level file is its own name; a folder is a layer. */
const LAYERS: string[][] = [
  ['errors.ts', 'error-codes.ts', 'chunk.ts', 'brand.ts'],
  ['expression', 'config', 'sse'],
  ['models', 'storage'],
  ['telemetry'],
  ['op'],
  ['engine'],
  ['ops'],
  ['create-flow-app.ts'],
  ['http', 'resume', 'protocols'],
  ['cli', 'cli.ts'],
  ['exports', 'index.ts'],
];

const IMPORT = /^(import|export)\s+(type\s+)?[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function layerOf(path: string): number {
  const top = path.split('/')[0] ?? path;
  return LAYERS.findIndex((names) => names.includes(top));
}

/** Every relative import of every source file, resolved to a path under src/. */
function imports(): { from: string; to: string; typeOnly: boolean }[] {
  return sourceFiles(CORE_SRC).flatMap((file) =>
    [...file.text.matchAll(IMPORT)].map((match) => {
      const target = new URL(match[3] ?? '', `file:///src/${file.path}`).pathname.slice('/src/'.length);
      return { from: file.path, to: target.replace(/\.js$/, '.ts'), typeOnly: Boolean(match[2]) };
    }),
  );
}

describe('layers', () => {
  it('every source file belongs to a layer', () => {
    const unplaced = sourceFiles(CORE_SRC)
      .map((file) => file.path)
      .filter((path) => layerOf(path) < 0);
    expect(unplaced, 'add these to LAYERS here and to src/README.md').toEqual([]);
  });

  it('no module imports, at run time, from a layer above its own', () => {
    const upward = imports()
      .filter((edge) => !edge.typeOnly && layerOf(edge.to) > layerOf(edge.from))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(upward).toEqual([]);
  });

  it('engine/*.ts imports nothing from ops/ (the demo ops come in through createFlowApp)', () => {
    const fromOps = imports()
      .filter((edge) => edge.from.startsWith('engine/') && edge.to.startsWith('ops/'))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(fromOps).toEqual([]);
  });

  it('the resolver sees real imports (engine/flow-app.ts imports the config loader)', () => {
    expect(imports()).toContainEqual({ from: 'engine/flow-app.ts', to: 'config/load.ts', typeOnly: false });
  });
});
