import { isPlainObject } from './check-value.js';
import { ConfigError, type ConfigIssue, type ConfigSource } from './config-error.js';
import type { SourceMap } from './source-map.js';

/**
 * Keys refused anywhere in a config path, file or object: they would reach `Object.prototype`.
 *
 * @example
 * FORBIDDEN_KEYS.has('__proto__'); // true
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One layer of configuration: its values, and where each was set.
 *
 * @example
 * const layer: ConfigLayer = { value: { http: { port: 9000 } }, sources: new SourceMap() };
 */
export interface ConfigLayer {
  value: Record<string, unknown>;
  sources: SourceMap;
}

/**
 * Merges `layer` into `target` (both values and sources): mappings merge key by key, everything
 * else (lists, scalars, `null`) replaces. Values are copied, never shared with the layer.
 * Throws a `ConfigError` listing every forbidden key in the layer.
 *
 * @example
 * const target: ConfigLayer = { value: { http: { host: 'a', port: 1 } }, sources: new SourceMap() };
 * mergeLayer(target, { value: { http: { port: 2 } }, sources: new SourceMap() });
 * target.value; // { http: { host: 'a', port: 2 } }
 */
export function mergeLayer(target: ConfigLayer, layer: ConfigLayer): void {
  const issues: ConfigIssue[] = [];
  mergeInto(target, layer, target.value, layer.value, [], issues);
  if (issues.length > 0) throw new ConfigError(issues);
}

function mergeInto(
  target: ConfigLayer,
  layer: ConfigLayer,
  into: Record<string, unknown>,
  from: Record<string, unknown>,
  path: string[],
  issues: ConfigIssue[],
): void {
  for (const [key, value] of Object.entries(from)) {
    const keyPath = [...path, key];
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push(forbiddenKeyIssue(keyPath, layer.sources.lookup(keyPath)));
      continue;
    }
    if (value === undefined) continue; // `{ port: undefined }` in a config object sets nothing
    const current = into[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      const source = layer.sources.get(keyPath);
      if (source) target.sources.set(keyPath, source);
      mergeInto(target, layer, current, value, keyPath, issues);
      continue;
    }
    into[key] = copyConfigValue(value, keyPath, { issues, sourceOf: (at) => layer.sources.lookup(at) });
    target.sources.deleteUnder(keyPath);
    target.sources.copyUnder(layer.sources, keyPath);
    if (!target.sources.get(keyPath)) {
      const inherited = layer.sources.lookup(keyPath);
      if (inherited) target.sources.set(keyPath, inherited);
    }
  }
}

/** Where {@link copyConfigValue} reports forbidden keys, and how it finds the source of a key path. */
export interface CopyConfigOptions {
  issues: ConfigIssue[];
  /** The source an issue names. @default none */
  sourceOf?: (path: string[]) => ConfigSource | undefined;
}

/**
 * A deep copy of plain objects and arrays (other values, such as dates, are kept as they are),
 * leaving out `undefined` members and reporting forbidden keys into `issues`.
 *
 * @example
 * const issues: ConfigIssue[] = [];
 * copyConfigValue({ a: [1], b: undefined }, [], { issues }); // { a: [1] }
 */
export function copyConfigValue(value: unknown, path: string[], options: CopyConfigOptions): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => copyConfigValue(item, [...path, String(index)], options));
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const keyPath = [...path, key];
    if (FORBIDDEN_KEYS.has(key)) options.issues.push(forbiddenKeyIssue(keyPath, options.sourceOf?.(keyPath)));
    else if (item !== undefined) copy[key] = copyConfigValue(item, keyPath, options);
  }
  return copy;
}

/**
 * The issue reported for `__proto__`, `constructor` or `prototype` in a key path.
 *
 * @example
 * forbiddenKeyIssue(['llm', '__proto__']).message; // 'the key `__proto__` is not allowed in a configuration'
 */
export function forbiddenKeyIssue(path: readonly string[], source?: ConfigSource): ConfigIssue {
  const key = path.find((segment) => FORBIDDEN_KEYS.has(segment)) ?? '';
  return {
    path: path.join('.'),
    message: `the key \`${key}\` is not allowed in a configuration`,
    ...(source && { source }),
  };
}
