import { isShowable } from './config-error.js';
import type { FieldSpec } from './field-spec.js';

// How specs and values are named in messages; values appear only when they are safe to show.

/**
 * Names what a spec accepts, e.g. `integer from 0 to 65535` or `one of http, mcp, cmd`.
 *
 * @example
 * expectedName({ type: 'number', exclusiveMin: 0, nullable: true }); // 'number > 0 or null'
 */
export function expectedName(spec: FieldSpec): string {
  let name: string = spec.type === 'record' ? 'object' : spec.type;
  if (spec.type === 'string' && spec.enum) name = `one of ${listValues(spec.enum)}`;
  if (spec.type === 'integer' || spec.type === 'number') {
    const bounds: string[] = [];
    if (spec.type === 'number' && spec.exclusiveMin !== undefined) bounds.push(`> ${spec.exclusiveMin}`);
    if (spec.min !== undefined && spec.max !== undefined) bounds.push(`from ${spec.min} to ${spec.max}`);
    else if (spec.min !== undefined) bounds.push(`>= ${spec.min}`);
    else if (spec.max !== undefined) bounds.push(`<= ${spec.max}`);
    if (bounds.length > 0) name += ` ${bounds.join(' and ')}`;
  }
  return spec.nullable ? `${name} or null` : name;
}

/**
 * The message for a string that is not one of the allowed values.
 *
 * @example
 * describeEnumMiss(['http', 'mcp'], 'grpc', ['backend']); // 'expected one of http, mcp, found "grpc"'
 */
export function describeEnumMiss(allowed: readonly string[], value: string, path: readonly string[]): string {
  const found = quoteIfSafe(value, path[path.length - 1] ?? '') ?? 'another string';
  return `expected one of ${listValues(allowed)}, found ${found}`;
}

/** Allowed values for a message; the empty string is shown as `""` so it is not lost. */
function listValues(values: readonly string[]): string {
  return values.map((value) => (value === '' ? '""' : value)).join(', ');
}

/**
 * Quotes a name-like value for a message; `undefined` when the key looks secret or the value is
 * too long to be a name (a pasted key, say), so the caller leaves it out.
 *
 * @example
 * quoteIfSafe('grpc', 'backend'); // '"grpc"'
 * quoteIfSafe('sk-123', 'api_key'); // undefined
 */
export function quoteIfSafe(value: string, key: string): string | undefined {
  return isShowable(key, value) ? JSON.stringify(value) : undefined;
}
