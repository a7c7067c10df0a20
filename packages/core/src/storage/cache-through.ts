import { resolve } from 'node:path';
import { errorMessage, FlowllmError } from '../errors.js';
import { CacheStore } from './cache-store.js';

// One store per folder in a process, so every op instance of every request shares its sweeps.
const stores = new Map<string, CacheStore>();

/**
 * The {@link CacheStore} of a folder (relative paths from the process's working directory, as
 * FlowLLM), shared by every caller in this process.
 *
 * @example
 * const store = cacheStoreAt('cache/chat');
 */
export function cacheStoreAt(dir: string): CacheStore {
  const absolute = resolve(dir);
  let store = stores.get(absolute);
  if (!store) {
    store = new CacheStore(absolute);
    stores.set(absolute, store);
  }
  return store;
}

/**
 * FlowLLM's `save_load_cache`: the fresh entry of `key` when there is one; otherwise runs `compute`,
 * stores its result for `expireHours` (unless it is `undefined` or `keep` refuses it) and returns it as
 * a hit would (parsed from JSON, so hits and misses look alike). A cache that cannot be read or written
 * (a full disk, no permission) is warned about and bypassed: it never fails the caller. Concurrent
 * misses of one key each compute; the last write wins, whole.
 *
 * @example
 * const reply = await cacheThrough(cacheStoreAt('cache/chat'), { messages }, 0.1, () => llm.chat(messages));
 */
export async function cacheThrough<T>(
  store: CacheStore,
  key: unknown,
  expireHours: number,
  compute: () => Promise<T> | T,
  keep: (value: T) => boolean = () => true,
): Promise<T> {
  try {
    const hit = await store.load(key);
    if (hit) return hit.value as T;
  } catch (error) {
    if (error instanceof FlowllmError) throw error;
    warn(store, 'read', error);
  }
  const value = await compute();
  if (value === undefined || !keep(value)) return value;
  try {
    return (await store.save(key, value, expireHours)) as T;
  } catch (error) {
    if (error instanceof FlowllmError) throw error;
    warn(store, 'write', error);
    return value;
  }
}

function warn(store: CacheStore, action: string, error: unknown): void {
  console.warn(`flowllm: cannot ${action} the cache in ${store.dir}: ${errorMessage(error)}`);
}
