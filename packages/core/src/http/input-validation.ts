import { isPlainObject } from '../config/check-value.js';
import type { InputFieldConfig, InputFieldType } from '../config/config-types.js';
import { laxCoerce } from '../config/lax-coercion.js';
import { ENGINE_KEYS } from '../engine/context.js';
import { BASE_FIELDS } from './base-fields.js';
import { HttpError } from './http-error.js';
import { checkMessages } from './message-validation.js';
import { IssueList } from './validation-issues.js';

/**
 * Checks a request against a flow's `input_schema` (types, `required`, `enum`, `items`) and FlowLLM's
 * base fields as FastAPI and pydantic v2 do for FlowLLM: scalars are converted in pydantic's lax mode
 * (`"5"` for an integer, `"yes"` for a boolean — the flow gets the converted value), `messages` items
 * are checked as FlowLLM's `Message`, a null is dropped unless the field is required (pydantic's
 * `exclude_none`), `default`s are filled and extra fields kept. Throws 422 with FastAPI's `detail`
 * list — `{type, loc, msg, input}` items, at most 20, then one `too_many_errors` entry (validation
 * stops there). Keys the engine owns (`ENGINE_KEYS`, e.g. `system_prompt`) are refused with type
 * `reserved`.
 *
 * @example
 * validateFlowInput({ top_k: { type: 'integer', required: true, description: '' } }, { top_k: '5' }, 'body');
 * // { top_k: 5 }
 * validateFlowInput({ query: { type: 'string', required: true, description: '' } }, {}, 'body');
 * // throws HttpError 422: [{ type: 'missing', loc: ['body', 'query'], msg: 'Field required', input: {} }]
 */
export function validateFlowInput(
  schema: Record<string, InputFieldConfig>,
  input: unknown,
  location: 'body' | 'query',
): Record<string, unknown> {
  if (!isPlainObject(input)) throw notAnObject(input, location);
  const issues = new IssueList();
  for (const key of ENGINE_KEYS) {
    if (Object.hasOwn(input, key))
      issues.add(
        [location, key],
        `Field is reserved: the engine sets '${key}' itself`,
        'reserved',
        input[key],
      );
  }
  // pydantic's exclude_none: the flow never sees a null (a required field's null is a type error below).
  const output = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
  // pydantic's `missing` echoes the object the field is missing from; a query string is no object.
  const missingInput = location === 'body' ? input : null;
  for (const [name, field] of fieldsOf(schema)) {
    if (issues.stopped) break;
    // Own keys only: a field named `toString` must not read Object.prototype's.
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined || (value === null && !field.required)) {
      if (field.default !== undefined) output[name] = structuredClone(field.default);
      else if (field.required) issues.add([location, name], 'Field required', 'missing', missingInput);
      continue;
    }
    const checked = checkField(field, value, [location, name], issues);
    output[name] =
      field === BASE_FIELDS.messages && Array.isArray(checked)
        ? checkMessages(checked, [location, name], issues)
        : checked;
  }
  if (issues.count > 0) throw new HttpError(422, issues.detail(location));
  return output;
}

/** FastAPI's answer to a body that is not an object: `missing` for null, else `model_attributes_type`. */
function notAnObject(input: unknown, location: 'body' | 'query'): HttpError {
  const issues = new IssueList();
  if (input === null) issues.add([location], 'Field required', 'missing', null);
  else {
    const msg = 'Input should be a valid dictionary or object to extract fields from';
    issues.add([location], msg, 'model_attributes_type', input);
  }
  return new HttpError(422, issues.detail(location));
}

/** Checks one value, noting its issues; returns it converted to the field's type (lists item by item). */
function checkField(
  field: InputFieldConfig,
  value: unknown,
  loc: (string | number)[],
  issues: IssueList,
): unknown {
  const coerced = laxCoerce(field.type, value);
  if (!coerced.ok) {
    issues.add(loc, coerced.msg, coerced.type, value);
    return value;
  }
  if (field.enum && !field.enum.some((allowed) => sameValue(allowed, coerced.value))) {
    issues.add(loc, `Input should be ${describeEnum(field.enum)}`, 'enum', value);
  }
  if (field.type !== 'array' || !field.items) return coerced.value;
  const items = coerced.value as unknown[];
  const checked: unknown[] = [];
  for (let index = 0; index < items.length && !issues.stopped; index++)
    checked.push(checkField(field.items, items[index], [...loc, index], issues));
  return checked;
}

/** A flow's fields with FlowLLM's base fields, by own name; the flow's own definition wins. */
// A flow's schema is one object for the app's life: its fields are listed once, not per request.
const fieldsBySchema = new WeakMap<Record<string, InputFieldConfig>, Map<string, InputFieldConfig>>();

function fieldsOf(schema: Record<string, InputFieldConfig>): Map<string, InputFieldConfig> {
  let fields = fieldsBySchema.get(schema);
  if (fields === undefined) {
    fields = new Map(Object.entries({ ...BASE_FIELDS, ...schema }));
    fieldsBySchema.set(schema, fields);
  }
  return fields;
}

function sameValue(a: unknown, b: unknown): boolean {
  // Only lists and objects need comparing as JSON; this runs once per list item.
  if (a === b) return true;
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

// Pydantic's wording: "Input should be 'a', 'b' or 'c'".
function describeEnum(values: unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value)));
  return shown.length < 2 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/**
 * Request fields from a query string, for `GET /{flow}?query=…`: lists and objects of the schema are
 * read as JSON (a list also from repeated keys); other values stay text, which `validateFlowInput`
 * converts as it does a body's (`"3"` for an integer); a value that does not parse stays a string so
 * validation names the field.
 *
 * @example
 * inputFromQuery(schema, new URLSearchParams('query=hi&top_k=3')) // { query: 'hi', top_k: '3' }
 */
export function inputFromQuery(
  schema: Record<string, InputFieldConfig>,
  params: URLSearchParams,
): Record<string, unknown> {
  const fields = fieldsOf(schema);
  // No prototype: `?__proto__=…` becomes an own key (refused like in a body), never the object's prototype.
  const input: Record<string, unknown> = Object.create(null);
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const type = fields.get(name)?.type;
    input[name] = type ? convertQueryValue(type, values) : values.length === 1 ? values[0] : values;
  }
  return input;
}

function convertQueryValue(type: InputFieldType, values: string[]): unknown {
  const text = values[0] ?? '';
  if (type === 'array') return values.length > 1 || !text.startsWith('[') ? values : parseJsonOr(text);
  if (values.length > 1) return values;
  // Numbers and booleans stay text: validation converts them with pydantic's rules, as for a body.
  return type === 'object' ? parseJsonOr(text) : text;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
