import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { BaseOp } from '../../src/op/base-op.js';
import { cacheKey } from '../../src/storage/cache-key.js';
import { CacheStore } from '../../src/storage/cache-store.js';
import { collect } from '../helpers/app.js';
import { bigValue, isWhole, runCacheWorker, unparsableFiles } from '../helpers/cache-values.js';

const HOUR = 3_600_000;
const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-cache-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A store on a fake clock that the test moves. */
function storeWithClock(dir = tempDir()) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  return { dir, clock, store: new CacheStore(dir, { now: () => clock.now }) };
}

describe('cacheKey', () => {
  it('hashes the JSON with sorted keys: key order does not matter, content does', () => {
    expect(cacheKey({ b: 1, a: [1, { y: 2, x: 1 }] })).toBe(cacheKey({ a: [1, { x: 1, y: 2 }], b: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
    expect(cacheKey('hello')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a key that has no JSON form, saying why', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => cacheKey(circular)).toThrow('a cache key must be a JSON value, but it is circular');
    expect(() => cacheKey({ n: 1n })).toThrow('a cache key must be a JSON value, but it holds a BigInt');
    expect(() => cacheKey(undefined)).toThrow('a cache key must be a JSON value, but it has no JSON form');
  });
});

describe('CacheStore', () => {
  it('misses, then returns the saved JSON value; the key hash names the file, so no key leaves the folder', async () => {
    const { dir, store } = storeWithClock();
    const key = '../../outside';
    expect(await store.load(key)).toBeUndefined();
    expect(await store.save(key, { answer: 'hi', at: new Date(0) }, 1)).toEqual({
      answer: 'hi',
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(await store.load(key)).toEqual({ value: { answer: 'hi', at: '1970-01-01T00:00:00.000Z' } });
    expect(readdirSync(dir).sort()).toEqual([`${cacheKey(key)}.json`, 'metadata.json']);
    expect(existsSync(join(dir, '..', 'outside'))).toBe(false);
  });

  it("metadata.json lists every entry with its times, like FlowLLM's", async () => {
    const { store, clock } = storeWithClock();
    await store.save('a', 'text', 2);
    await store.save('b', [1, 2], 0);
    const metadata = await store.metadata();
    expect(metadata[cacheKey('a')]).toEqual({
      file: `${cacheKey('a')}.json`,
      created_time: new Date(clock.now).toISOString(),
      expire_time: new Date(clock.now + 2 * HOUR).toISOString(),
      file_size: expect.any(Number),
    });
    expect(metadata[cacheKey('b')]?.expire_time).toBeNull();
  });

  it('an expired entry is not returned, and its file and metadata line are removed when read', async () => {
    const { dir, store, clock } = storeWithClock();
    await store.save('k', 'v', 1);
    clock.now += HOUR - 1;
    expect(await store.load('k')).toEqual({ value: 'v' });
    clock.now += 1;
    expect(await store.load('k')).toBeUndefined();
    expect(existsSync(join(dir, `${cacheKey('k')}.json`))).toBe(false);
    expect(await store.metadata()).toEqual({});
  });

  it('0 hours never expires, as in FlowLLM', async () => {
    const { store, clock } = storeWithClock();
    await store.save('k', 'forever', 0);
    clock.now += 10_000 * HOUR;
    expect(await store.load('k')).toEqual({ value: 'forever' });
  });

  it("a sweep removes every expired entry and a crashed writer's old temporary file", async () => {
    const { dir, store, clock } = storeWithClock();
    await store.save('short', 1, 1);
    await store.save('long', 2, 3);
    const leftover = join(dir, `.x.json.${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.tmp`);
    writeFileSync(leftover, '{"trunc');
    const anHourAgo = new Date(Date.now() - HOUR);
    utimesSync(leftover, anHourAgo, anHourAgo);
    clock.now += 2 * HOUR;
    expect(await store.sweep()).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`${cacheKey('long')}.json`, 'metadata.json']);
    expect(Object.keys(await store.metadata())).toEqual([cacheKey('long')]);
  });

  it('an entry survives a restart: a new instance and a new process read what this one wrote', async () => {
    const dir = tempDir();
    const key = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    await new CacheStore(dir).save(key, { content: 'hello' }, 1);
    expect(await new CacheStore(dir).load(key)).toEqual({ value: { content: 'hello' } });
    expect(await runCacheWorker(['read', dir, JSON.stringify(key)])).toEqual({ value: { content: 'hello' } });
  });

  it('many concurrent saves from two instances: every read whole, every file parses, no entry lost', async () => {
    const dir = tempDir();
    const stores = [new CacheStore(dir), new CacheStore(dir)];
    const reads = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const store = stores[i % 2]!;
        const key = `k${i % 40}`;
        await store.save(key, bigValue(`w${i % 2}`, i), 0);
        return (await store.load(key))?.value;
      }),
    );
    expect(reads.filter((value) => !isWhole(value))).toEqual([]);
    expect(unparsableFiles(dir)).toBe(0);
    const keys = Array.from({ length: 40 }, (_, i) => cacheKey(`k${i}`)).sort();
    expect(Object.keys(await stores[0]!.metadata()).sort()).toEqual(keys);
  });

  it('two processes hammering one folder: no torn entry, no corrupt metadata, every read whole', async () => {
    const dir = tempDir();
    const reports = await Promise.all([
      runCacheWorker(['hammer', dir, 'a', '25']),
      runCacheWorker(['hammer', dir, 'b', '25']),
    ]);
    for (const report of reports) {
      expect(report).toEqual({ saves: 200, loads: 200, incomplete: 0, unparsable: 0, unlisted: 0 });
    }
    expect(unparsableFiles(dir)).toBe(0);
    const store = new CacheStore(dir);
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    const own = ['a', 'b'].flatMap((writer) =>
      Array.from({ length: 200 }, (_, i) => `${writer}.${Math.floor(i / 8)}.${i % 8}`),
    );
    const listed = Object.keys(await store.metadata()).sort();
    expect(listed).toEqual([...keys, ...own].map((key) => cacheKey(key)).sort());
    for (const key of keys) expect(isWhole((await store.load(key))?.value)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
  });
});

class LookupOp extends BaseOp {
  execute(): void {}
}

describe('BaseOp.cache', () => {
  it('without enable_cache it only runs the function', async () => {
    const op = new LookupOp({ cache_path: join(tempDir(), '{op_name}') });
    let runs = 0;
    for (let i = 0; i < 2; i++) expect(await op.cache('k', () => ++runs)).toBe(i + 1);
    expect(readdirSync(join(op.common.cache_path, '..'))).toEqual([]);
  });

  it('with enable_cache: loads a fresh entry, else runs, saves and returns; {op_name} is the short name', async () => {
    const dir = tempDir();
    const options = { enable_cache: true, cache_path: join(dir, '{op_name}'), cache_expire_hours: 1 };
    let runs = 0;
    const compute = async () => ({ runs: ++runs });
    expect(await new LookupOp(options).cache({ q: 1 }, compute)).toEqual({ runs: 1 });
    expect(await new LookupOp(options).cache({ q: 1 }, compute)).toEqual({ runs: 1 });
    expect(await new LookupOp(options).cache({ q: 2 }, compute)).toEqual({ runs: 2 });
    expect(readdirSync(dir)).toEqual(['lookup']);
  });

  it('a failure or an undefined result is not stored; a key that is not JSON is an error', async () => {
    const op = new LookupOp({ enable_cache: true, cache_path: join(tempDir(), '{op_name}') });
    await expect(op.cache('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await op.cache('k', () => undefined)).toBeUndefined();
    expect(await op.cache('k', () => 'stored')).toBe('stored');
    expect(await op.cache('k', () => 'not run')).toBe('stored');
    await expect(op.cache(1n, () => 'x')).rejects.toThrow('a cache key must be a JSON value');
  });
});

describe('built-in model ops with enable_cache', () => {
  function modelApp(dir: string) {
    const cache = `enable_cache=True, cache_path=${JSON.stringify(join(dir, '{op_name}'))}`;
    return createFlowApp({
      env: {},
      config: {
        llm: { default: { backend: 'mock', think: 'Hmm', answer: 'Echo {input}' } },
        flow: {
          chat: { flow_content: `ChatOp(${cache}, temperature=0.1)` },
          stream_chat: { flow_content: `StreamChatOp(${cache})`, stream: true },
          prompted: { flow_content: `GenSystemPromptOp(${cache}) >> ChatOp()` },
        },
      },
    });
  }
  const mockOf = (app: ReturnType<typeof modelApp>) => app.resources.llm('default') as MockLlm;

  it('ChatOp calls the model once for two identical requests, again for another, not after a restart', async () => {
    const dir = tempDir();
    const app = modelApp(dir);
    const first = await app.run('chat', { query: 'hi' });
    const second = await app.run('chat', { query: 'hi' });
    expect(mockOf(app).stats.started).toBe(1);
    expect(second.answer).toBe('Echo hi');
    expect(second.metadata.reasoning_content).toBe(first.metadata.reasoning_content);
    expect(first.metadata.usage).toBeDefined();
    expect(second.metadata.usage).toBeUndefined(); // a cached reply spent no tokens
    await app.run('chat', { query: 'other' });
    expect(mockOf(app).stats.started).toBe(2);
    const restarted = modelApp(dir);
    expect((await restarted.run('chat', { query: 'hi' })).answer).toBe('Echo hi');
    expect(mockOf(restarted).stats.started).toBe(0);
    expect(readdirSync(dir)).toEqual(['chat']);
  });

  it('StreamChatOp replays the chunks of a completed stream', async () => {
    const app = modelApp(tempDir());
    const shape = (chunks: { chunk_type: string; chunk: unknown }[]) =>
      chunks.map((c) => [c.chunk_type, c.chunk]);
    const live = shape(await collect(app.stream('stream_chat', { query: 'hi there' })));
    const replayed = shape(await collect(app.stream('stream_chat', { query: 'hi there' })));
    expect(mockOf(app).stats.started).toBe(1);
    expect(replayed).toEqual(live);
    expect(live.map(([type]) => type)).toEqual(['think', 'answer', 'answer', 'answer', 'done']);
  });

  it('GenSystemPromptOp caches its model call; the ChatOp after it (cache off) still calls', async () => {
    const app = modelApp(tempDir());
    await app.run('prompted', { query: 'hi' });
    await app.run('prompted', { query: 'hi' });
    expect(mockOf(app).stats.started).toBe(3);
  });
});
