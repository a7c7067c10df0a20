import { type ConfigIssue, type ConfigWarning, typeName } from './config-error.js';
import type { ConfigBackends, FieldSpec, ObjectSpec, RecordSpec } from './field-spec.js';
import type { SourceMap } from './source-map.js';
import { describeEnumMiss, expectedName, quoteIfSafe } from './spec-messages.js';
import { suggestKey } from './suggest.js';

/**
 * What a validation pass collects, and what it needs to know.
 *
 * @example
 * const context: CheckContext = { issues: [], warnings: [], sources: new SourceMap(), backends };
 */
export interface CheckContext {
  issues: ConfigIssue[];
  warnings: ConfigWarning[];
  sources: SourceMap;
  backends: ConfigBackends;
}

/** Returned for a value that failed its check (an issue was recorded). */
const INVALID = Symbol('invalid');

/**
 * True for a plain `{}`-style object (not an array, date, class instance or null).
 *
 * @example
 * isPlainObject({ a: 1 }); // true
 * isPlainObject([]); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Records an issue at `path`, located where that value (or its nearest parent) was set.
 *
 * @example
 * report(context, ['http', 'port'], 'expected integer, found string');
 */
export function report(context: CheckContext, path: readonly string[], message: string): void {
  const source = context.sources.lookup(path);
  context.issues.push({ path: path.join('.'), message, ...(source && { source }) });
}

/**
 * Checks `value` against `spec` and returns it with defaults filled in, or `undefined` after
 * recording issues. Never puts the value itself in a message (see `quoteIfSafe`).
 *
 * @example
 * checkValue({ type: 'integer', min: 0 }, 3, ['http', 'port'], context); // 3
 */
export function checkValue(spec: FieldSpec, value: unknown, path: string[], context: CheckContext): unknown {
  const result = checkAny(spec, value, path, context);
  return result === INVALID ? undefined : result;
}

function checkAny(spec: FieldSpec, value: unknown, path: string[], context: CheckContext): unknown {
  if (value === null && (spec.nullable || spec.type === 'any')) return null;
  const fail = (message: string): typeof INVALID => {
    report(context, path, message);
    return INVALID;
  };
  const wrongType = () => fail(`expected ${expectedName(spec)}, found ${typeName(value)}`);
  switch (spec.type) {
    case 'any':
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : wrongType();
    case 'string':
      if (typeof value !== 'string') return wrongType();
      if (spec.enum && !spec.enum.includes(value)) return fail(describeEnumMiss(spec.enum, value, path));
      if (spec.nonEmpty && value.trim() === '') return fail('must not be empty');
      return value;
    case 'integer':
    case 'number': {
      const isInteger = spec.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (isInteger && !Number.isInteger(value))) {
        return wrongType();
      }
      const min = spec.min;
      const exclusiveMin = spec.type === 'number' ? spec.exclusiveMin : undefined;
      const tooLow =
        (min !== undefined && value < min) || (exclusiveMin !== undefined && value <= exclusiveMin);
      const tooHigh = spec.max !== undefined && value > spec.max;
      return tooLow || tooHigh
        ? fail(`expected ${expectedName(spec)}, found ${spec.type} out of range`)
        : value;
    }
    case 'array':
      if (!Array.isArray(value)) return wrongType();
      return checkArray(spec.items, value, path, context);
    case 'record':
      return isPlainObject(value) ? checkRecord(spec, value, path, context) : wrongType();
    case 'object':
      return isPlainObject(value) ? checkObject(spec, value, path, context) : wrongType();
  }
}

function checkArray(items: FieldSpec | undefined, value: unknown[], path: string[], context: CheckContext) {
  if (!items) return value;
  const results = value.map((item, index) => checkAny(items, item, [...path, String(index)], context));
  return results.includes(INVALID) ? INVALID : results;
}

function checkRecord(
  spec: RecordSpec,
  value: Record<string, unknown>,
  path: string[],
  context: CheckContext,
) {
  const result: Record<string, unknown> = {};
  let valid = true;
  for (const [key, item] of Object.entries(value)) {
    if (spec.keyPattern && !spec.keyPattern.test(key)) {
      const hint = spec.keyHint ? ` (${spec.keyHint})` : '';
      report(context, [...path, key], `invalid name: it must match ${spec.keyPattern.source}${hint}`);
      valid = false;
      continue;
    }
    const checked = spec.values ? checkAny(spec.values, item, [...path, key], context) : item;
    if (checked === INVALID) valid = false;
    else result[key] = checked;
  }
  return valid ? result : INVALID;
}

function checkObject(
  spec: ObjectSpec,
  value: Record<string, unknown>,
  path: string[],
  context: CheckContext,
) {
  const fields = fieldsFor(spec, value, path, context);
  const result: Record<string, unknown> = {};
  let valid = fields !== undefined;
  for (const [key, field] of Object.entries(fields ?? spec.fields)) {
    const keyPath = [...path, key];
    let checked: unknown;
    if (Object.hasOwn(value, key) && value[key] !== undefined)
      checked = checkAny(field, value[key], keyPath, context);
    else if (field.required)
      checked = invalid(context, keyPath, `missing required key (expected ${expectedName(field)})`);
    else if (Object.hasOwn(field, 'default')) {
      checked = checkAny(field, structuredClone(field.default), keyPath, context);
    } else continue;
    if (checked === INVALID) valid = false;
    else result[key] = checked;
  }
  // Without the backend's keys we cannot tell which keys are unknown, so say nothing then.
  if (fields) warnUnknownKeys(Object.keys(value), fields, path, context);
  return valid ? result : INVALID;
}

function invalid(context: CheckContext, path: readonly string[], message: string): typeof INVALID {
  report(context, path, message);
  return INVALID;
}

/** The entry's fields: the base fields plus, for model entries, those of its backend. */
function fieldsFor(
  spec: ObjectSpec,
  value: Record<string, unknown>,
  path: string[],
  context: CheckContext,
): Record<string, FieldSpec> | undefined {
  if (!spec.backendKind) return spec.fields;
  const backend = value.backend;
  if (typeof backend !== 'string' || backend.trim() === '') return undefined; // reported as a field
  const registered = context.backends[spec.backendKind] ?? {};
  const extra = Object.hasOwn(registered, backend) ? registered[backend] : undefined;
  if (extra) return { ...spec.fields, ...extra };
  const names = Object.keys(registered).sort();
  const list = names.length
    ? `registered ${spec.backendKind} backends: ${names.join(', ')}`
    : 'none are registered';
  const name = quoteIfSafe(backend, 'backend');
  report(
    context,
    [...path, 'backend'],
    `unknown ${spec.backendKind} backend${name ? ` ${name}` : ''}; ${list}`,
  );
  return undefined;
}

function warnUnknownKeys(
  keys: string[],
  fields: Record<string, FieldSpec>,
  path: string[],
  context: CheckContext,
) {
  const known = Object.keys(fields);
  for (const key of keys) {
    if (Object.hasOwn(fields, key)) continue;
    const keyPath = [...path, key];
    const suggestion = suggestKey(key, known);
    const source = context.sources.lookup(keyPath);
    context.warnings.push({
      path: keyPath.join('.'),
      message: suggestion ? `unknown key, ignored; did you mean \`${suggestion}\`?` : 'unknown key, ignored',
      ...(suggestion && { suggestion }),
      ...(source && { source }),
    });
  }
}
