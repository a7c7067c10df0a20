import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'tsdown';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Size budgets, minified + gzipped (level 9), as a browser app's bundler would ship the client:
 * - the client alone (eventsource-parser external): at most 3.5 KB (measured 3.1 KB; 2.3 KB before
 *   resumable streams, which added the reconnect loop, resumeFlow and stopFlow);
 * - the client with eventsource-parser bundled in: at most 5 KB (measured 4.4 KB).
 * Raise them only on purpose: the client is meant to stay tiny.
 */
const BUDGET_ALONE = 3.5 * 1024;
const BUDGET_WITH_PARSER = 5 * 1024;

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const outDirs: string[] = [];

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** Bundles src/index.ts for the browser-neutral platform, minified; returns the code. */
async function bundle(withParser: boolean): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'flowllm-client-size-'));
  outDirs.push(outDir);
  await build({
    config: false,
    entry: [entry],
    outDir,
    format: ['esm'],
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    dts: false,
    sourcemap: false,
    publint: false,
    attw: false,
    logLevel: 'silent',
    external: withParser ? [] : ['eventsource-parser'],
    noExternal: withParser ? ['eventsource-parser'] : [],
  });
  return readFileSync(join(outDir, 'index.js'), 'utf8');
}

const gzipSize = (code: string) => gzipSync(code, { level: 9 }).length;

describe('bundle', () => {
  it(`the client alone is at most ${BUDGET_ALONE} bytes min+gzip, and imports only eventsource-parser`, async () => {
    const code = await bundle(false);
    const size = gzipSize(code);
    console.log(`@flowllm/client min+gzip: ${size} B (without eventsource-parser)`);
    expect(size).toBeLessThanOrEqual(BUDGET_ALONE);
    expect(size).toBeGreaterThan(500); // the bundle really holds the client
    expect(code).toContain('FlowClientError');
    const imports = [...code.matchAll(/from\s*["']([^"']+)["']/g)].map((match) => match[1]);
    expect(imports).toEqual(['eventsource-parser']);
  });

  it(`with eventsource-parser it is at most ${BUDGET_WITH_PARSER} bytes min+gzip, and browser-safe`, async () => {
    const code = await bundle(true);
    const size = gzipSize(code);
    console.log(`@flowllm/client min+gzip: ${size} B (with eventsource-parser)`);
    expect(size).toBeLessThanOrEqual(BUDGET_WITH_PARSER);
    expect(code).not.toMatch(/\bfrom\s*["']|\bimport\s*\(|\brequire\s*\(/); // self-contained
    // No Node built-ins or globals a browser lacks.
    expect(code).not.toMatch(/\bnode:|\bprocess\.|\bBuffer\b|\bglobal\./);
  });
});
