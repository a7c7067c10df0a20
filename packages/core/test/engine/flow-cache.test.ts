import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowApp } from '../../src/engine/flow-app.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { CacheStore } from '../../src/storage/cache-store.js';
import { collect } from '../helpers/app.js';
import { events, testOps } from '../helpers/test-ops.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-flow-cache-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function cachedApp(dir: string, expireHours = 1): FlowApp {
  const cache = { enable_cache: true, cache_path: join(dir, '{flow_name}'), cache_expire_hours: expireHours };
  return createFlowApp({
    env: {},
    ops: testOps,
    config: {
      llm: { default: { backend: 'mock', answer: 'Echo {input}' } },
      flow: {
        cached_chat: { flow_content: 'ChatOp()', ...cache },
        uncached_chat: { flow_content: 'ChatOp()' },
        failing: { flow_content: 'FlakyOp(fail_times=9, raise_exception=False)', ...cache },
        stream_chat: { flow_content: 'StreamChatOp()', stream: true, ...cache },
      },
    },
  });
}
const calls = (app: FlowApp) => (app.resources.llm('default') as MockLlm).stats.started;

describe('flow cache (enable_cache on a flow)', () => {
  it('answers a repeated request from the cache, in a folder named after the flow', async () => {
    const dir = tempDir();
    const app = cachedApp(dir);
    const first = await app.run('cached_chat', { query: 'hi' });
    const second = await app.run('cached_chat', { query: 'hi' });
    expect(calls(app)).toBe(1);
    expect(second).toEqual(first);
    expect(second.answer).toBe('Echo hi');
    expect(readdirSync(dir)).toEqual(['cached_chat']);
    expect(Object.keys(await new CacheStore(join(dir, 'cached_chat')).metadata())).toHaveLength(1);
  });

  it('keys on the whole request (not its key order); flows without enable_cache are not cached', async () => {
    const app = cachedApp(tempDir());
    await app.run('cached_chat', { query: 'a', metadata: { x: 1, y: 2 } });
    await app.run('cached_chat', { metadata: { y: 2, x: 1 }, query: 'a' });
    expect(calls(app)).toBe(1);
    await app.run('cached_chat', { query: 'a', metadata: { x: 1 } });
    expect(calls(app)).toBe(2);
    await app.run('uncached_chat', { query: 'a' });
    await app.run('uncached_chat', { query: 'a' });
    expect(calls(app)).toBe(4);
  });

  it('caches only successful responses: one with reported errors runs again', async () => {
    const app = cachedApp(tempDir());
    events.length = 0;
    const first = await app.run('failing', { query: 'q' });
    expect(first.metadata.errors).toHaveLength(1);
    await app.run('failing', { query: 'q' });
    expect(events.filter((event) => event === 'execute:1')).toHaveLength(2);
  });

  it('stream flows are not cached', async () => {
    const app = cachedApp(tempDir());
    await collect(app.stream('stream_chat', { query: 'hi' }));
    await collect(app.stream('stream_chat', { query: 'hi' }));
    expect(calls(app)).toBe(2);
  });

  it('a cached response survives a restart: a new app reads it without calling the model', async () => {
    const dir = tempDir();
    await cachedApp(dir).run('cached_chat', { query: 'hi' });
    const restarted = cachedApp(dir);
    expect((await restarted.run('cached_chat', { query: 'hi' })).answer).toBe('Echo hi');
    expect(calls(restarted)).toBe(0);
  });

  it('an expired response is not returned: the flow runs again and the entry is renewed', async () => {
    const dir = tempDir();
    const app = cachedApp(dir, 0.0001); // 360 ms
    await app.run('cached_chat', { query: 'hi' });
    const store = new CacheStore(join(dir, 'cached_chat'));
    const [entry] = Object.entries(await store.metadata());
    const expiresAt = Date.parse(entry?.[1].expire_time ?? '');
    // Wait for the expiry time itself, then a little more for a coarse clock.
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 20));
    await app.run('cached_chat', { query: 'hi' });
    expect(calls(app)).toBe(2);
    const [renewed] = Object.values(await store.metadata());
    expect(Date.parse(renewed?.expire_time ?? '')).toBeGreaterThan(expiresAt);
  });
});
