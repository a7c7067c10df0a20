import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const distFile = (name: string) => fileURLToPath(new URL(`../../dist/${name}`, import.meta.url));
const DIST_INDEX = distFile('index.js');
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));

// Runs against the built package, as users get it (turbo builds before testing).
describe('the built package', () => {
  it('can be require()d from CommonJS on Node >= 20.19 (ESM-only, no top-level await), every entry point', () => {
    // One name from the root and from each subpath export.
    const probes = {
      index: 'createFlowService',
      ops: 'BaseOp',
      models: 'MockLlm',
      sse: 'encodeChunkEvent',
      adapter: 'writeNodeStream',
    };
    const script = Object.entries(probes)
      .map(
        ([entry, name]) => `console.log(typeof require(${JSON.stringify(distFile(`${entry}.js`))}).${name});`,
      )
      .join('\n');
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(output.trim().split('\n')).toEqual(Object.keys(probes).map(() => 'function'));
  });

  it('runs a stream flow when imported as ESM', async () => {
    const script = `
      import { createFlowApp } from ${JSON.stringify(DIST_INDEX)};
      const app = createFlowApp({ env: {}, config: { llm: { default: { backend: 'mock', answer: 'hi there' } }, flow: { f: { flow_content: 'StreamChatOp()', stream: true } } } });
      const types = [];
      for await (const chunk of app.stream('f', { query: 'q' })) types.push(chunk.chunk_type);
      console.log(types.join(','));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(output.trim()).toBe('answer,answer,done');
  });

  it('declares Node >= 20.19, ESM-only exports with types first, and the flowllm bin', () => {
    const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.exports['.'])).toEqual(['types', 'default']);
    expect(manifest.bin.flowllm).toBe('./dist/cli.js');
    expect(manifest.files).toContain('configs');
  });
});
