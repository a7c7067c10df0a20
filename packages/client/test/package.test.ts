import { existsSync, readFileSync } from 'node:fs';
import type * as core from '@flowllm/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as client from '../src/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const distUrl = new URL('../dist/index.js', import.meta.url);
const distTypesUrl = new URL('../dist/index.d.ts', import.meta.url);

describe('package', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(client).sort()).toEqual(['FlowClient', 'FlowClientError', 'readFlowChunks']);
    expect(Object.getOwnPropertyNames(client.FlowClient.prototype).sort()).toEqual([
      'constructor',
      'eventSourceUrl',
      'executeFlow',
      'executeStreamFlow',
      'follow',
      'getJson',
      'health',
      'healthCheck',
      'listEndpoints',
      'listFlows',
      'openapi',
      'resumeFlow',
      'runFlow',
      'send',
      'stopFlow',
      'stream',
      'streamFlow',
    ]);
  });

  it('depends at run time on eventsource-parser@3 only (never on @flowllm/core, which has Node parts)', () => {
    expect(packageJson.dependencies).toEqual({ 'eventsource-parser': '^3.1.1' });
    expect(packageJson.peerDependencies).toBeUndefined();
    expect(packageJson.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(packageJson.sideEffects).toBe(false);
  });

  it("uses core's wire types (one source), and its built declarations inline them", () => {
    expectTypeOf<client.FlowStreamChunk>().toEqualTypeOf<core.FlowStreamChunk>();
    expectTypeOf<client.ChunkType>().toEqualTypeOf<core.ChunkType>();
    expectTypeOf<client.ChunkContent>().toEqualTypeOf<core.ChunkContent>();
    expectTypeOf<client.ToolCall>().toEqualTypeOf<core.ToolCallChunk>();
    expect(existsSync(distTypesUrl), 'dist/index.d.ts is missing: run the build first').toBe(true);
    const types = readFileSync(distTypesUrl, 'utf8');
    // Users of the client install no @flowllm/core: nothing in the declarations may import it.
    expect(types).not.toMatch(/from\s*["']@flowllm\/core|import\(["']@flowllm\/core/);
    expect(types).toMatch(/interface FlowStreamChunk \{\s*flow_id: string;\s*chunk_type: ChunkType;/);
  });

  it('the built dist exports the same API (turbo builds before testing)', async () => {
    expect(existsSync(distUrl), 'dist/index.js is missing: run the build first').toBe(true);
    const dist = await import(distUrl.href);
    expect(Object.keys(dist).sort()).toEqual(Object.keys(client).sort());
    const instance = new dist.FlowClient('http://h/');
    expect(instance.eventSourceUrl('f', { query: 'q' })).toBe('http://h/f?query=q');
  });
});
