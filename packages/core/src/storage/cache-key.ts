import { createHash } from 'node:crypto';
import { FlowllmError } from '../errors.js';

/**
 * The cache key of any JSON-able value: the sha256 (hex) of its JSON with object keys sorted at every
 * level, so `{a, b}` and `{b, a}` share a key. Values JSON drops (`undefined`, functions) are dropped as
 * `JSON.stringify` drops them; a value that cannot be JSON (a BigInt, a cycle) is a clear error.
 *
 * @example
 * cacheKey({ b: 1, a: [1, 'x'] }) === cacheKey({ a: [1, 'x'], b: 1 }); // true
 * cacheKey('hello').length; // 64
 */
export function cacheKey(key: unknown): string {
  const text = JSON.stringify(sortedCopy(key, new Set()));
  if (text === undefined) throw notJson('it has no JSON form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Whether {@link cacheKey} accepts `key`.
 *
 * @example
 * isJsonKey({ query: 'hi' }); // true
 * isJsonKey({ n: 1n });       // false
 */
export function isJsonKey(key: unknown): boolean {
  try {
    cacheKey(key);
    return true;
  } catch {
    return false;
  }
}

// A copy with sorted object keys; `toJSON` is honoured first, as JSON.stringify does.
function sortedCopy(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') throw notJson('it holds a BigInt');
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return sortedCopy(json.call(value), ancestors);
  if (ancestors.has(value)) throw notJson('it is circular');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => sortedCopy(item, ancestors));
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) {
      copy[name] = sortedCopy((value as Record<string, unknown>)[name], ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

function notJson(reason: string): FlowllmError {
  return new FlowllmError('FLOWLLM_OP', `a cache key must be a JSON value, but ${reason}`);
}
