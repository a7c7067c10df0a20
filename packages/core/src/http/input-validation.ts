import type { InputFieldConfig, InputFieldType } from '../config/config-types.js';
import { HttpError, type ValidationIssue } from './http-error.js';

// FlowLLM's request model: these fields are typed even when a flow's input_schema omits them.
const BASE_FIELDS: Record<string, InputFieldConfig> = {
  query: { type: 'string', description: '', required: false },
  messages: { type: 'array', description: '', required: false },
  workspace_id: { type: 'string', description: '', required: false },
  metadata: { type: 'object', description: '', required: false },
};

const TYPE_ERRORS: Record<InputFieldType, [type: string, msg: string]> = {
  string: ['string_type', 'Input should be a valid string'],
  integer: ['int_type', 'Input should be a valid integer'],
  number: ['float_type', 'Input should be a valid number'],
  boolean: ['bool_type', 'Input should be a valid boolean'],
  array: ['list_type', 'Input should be a valid list'],
  object: ['dict_type', 'Input should be a valid dictionary'],
};

/**
 * Checks a request against a flow's `input_schema` (types, `required`, `enum`, `items`), fills
 * `default`s, and keeps extra fields. Throws 422 with FastAPI's `detail` list naming each field.
 *
 * @example
 * validateFlowInput({ query: { type: 'string', required: true, description: '' } }, {}, 'body');
 * // throws HttpError 422: [{ loc: ['body', 'query'], msg: 'Field required', type: 'missing' }]
 */
export function validateFlowInput(
  schema: Record<string, InputFieldConfig>,
  input: unknown,
  location: 'body' | 'query',
): Record<string, unknown> {
  if (!isObject(input)) {
    throw new HttpError(422, [{ loc: [location], msg: TYPE_ERRORS.object[1], type: 'dict_type' }]);
  }
  const issues: ValidationIssue[] = [];
  const output: Record<string, unknown> = { ...input };
  for (const [name, field] of Object.entries({ ...BASE_FIELDS, ...schema })) {
    const value = input[name];
    if (value === undefined || (value === null && !field.required)) {
      if (field.default !== undefined) output[name] = structuredClone(field.default);
      else if (field.required) issues.push({ loc: [location, name], msg: 'Field required', type: 'missing' });
      continue;
    }
    checkField(field, value, [location, name], issues);
  }
  if (issues.length > 0) throw new HttpError(422, issues);
  return output;
}

function checkField(
  field: InputFieldConfig,
  value: unknown,
  loc: (string | number)[],
  issues: ValidationIssue[],
) {
  if (!hasType(field.type, value)) {
    const [type, msg] = TYPE_ERRORS[field.type];
    issues.push({ loc, msg, type });
    return;
  }
  if (field.enum && !field.enum.some((allowed) => sameValue(allowed, value))) {
    issues.push({ loc, msg: `Input should be ${describeEnum(field.enum)}`, type: 'enum' });
  }
  if (field.type === 'array' && field.items) {
    for (const [index, item] of (value as unknown[]).entries())
      checkField(field.items, item, [...loc, index], issues);
  }
}

function hasType(type: InputFieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

// Pydantic's wording: "Input should be 'a', 'b' or 'c'".
function describeEnum(values: unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value)));
  return shown.length < 2 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/**
 * Request fields from a query string, for `GET /{flow}?query=…`: each field of the schema is
 * converted to its type (numbers, `true`/`false`, JSON for lists and objects, repeated keys for
 * lists); a value that does not convert stays a string so validation names the field.
 *
 * @example
 * inputFromQuery(schema, new URLSearchParams('query=hi&top_k=3')) // { query: 'hi', top_k: 3 }
 */
export function inputFromQuery(
  schema: Record<string, InputFieldConfig>,
  params: URLSearchParams,
): Record<string, unknown> {
  const fields = { ...BASE_FIELDS, ...schema };
  // No prototype: `?__proto__=…` becomes an own key (refused like in a body), never the object's prototype.
  const input: Record<string, unknown> = Object.create(null);
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const type = fields[name]?.type;
    input[name] = type ? convertQueryValue(type, values) : values.length === 1 ? values[0] : values;
  }
  return input;
}

function convertQueryValue(type: InputFieldType, values: string[]): unknown {
  const text = values[0] ?? '';
  if (type === 'array') return values.length > 1 || !text.startsWith('[') ? values : parseJsonOr(text);
  if (values.length > 1) return values;
  if (type === 'integer') return /^[-+]?\d+$/.test(text) ? Number(text) : text;
  if (type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (type === 'object') return parseJsonOr(text);
  return text;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
