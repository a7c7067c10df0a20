import type { InputFieldConfig, InputFieldType } from '../config/config-types.js';
import { ENGINE_KEYS } from '../engine/context.js';
import { HttpError, type ValidationIssue } from './http-error.js';
import { clip } from './json-body.js';

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

// A 422 answer stays small whatever the request: at most this many issues, then one "… and more" entry
// (validation stops there), each issue's texts cut short, and the whole list under a byte budget.
const MAX_ISSUES = 20;
const MAX_MSG_CHARS = 300;
const MAX_LOC_SEGMENT_CHARS = 64;
const MAX_LOC_SEGMENTS = 16;
const MAX_DETAIL_BYTES = 60 * 1024;

/**
 * Checks a request against a flow's `input_schema` (types, `required`, `enum`, `items`), fills
 * `default`s, and keeps extra fields. Throws 422 with FastAPI's `detail` list naming each field: at
 * most 20 issues, then one `too_many_errors` entry (validation stops there). Keys the engine owns
 * (`ENGINE_KEYS`, e.g. `system_prompt`) are refused with type `reserved`.
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
  const issues = new IssueList();
  for (const key of ENGINE_KEYS) {
    if (Object.hasOwn(input, key))
      issues.add([location, key], `Field is reserved: the engine sets '${key}' itself`, 'reserved');
  }
  const output: Record<string, unknown> = { ...input };
  for (const [name, field] of fieldsOf(schema)) {
    if (issues.stopped) break;
    // Own keys only: a field named `toString` must not read Object.prototype's.
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined || (value === null && !field.required)) {
      if (field.default !== undefined) output[name] = structuredClone(field.default);
      else if (field.required) issues.add([location, name], 'Field required', 'missing');
      continue;
    }
    checkField(field, value, [location, name], issues);
  }
  if (issues.count > 0) throw new HttpError(422, issues.detail(location));
  return output;
}

/** The issues found so far; past MAX_ISSUES it only notes that there were more, and checking stops. */
class IssueList {
  private readonly issues: ValidationIssue[] = [];
  stopped = false;

  get count(): number {
    return this.issues.length;
  }

  add(loc: (string | number)[], msg: string, type: string): void {
    if (this.issues.length >= MAX_ISSUES) {
      this.stopped = true;
      return;
    }
    const shortLoc = loc.length > MAX_LOC_SEGMENTS ? [...loc.slice(0, MAX_LOC_SEGMENTS - 1), '…'] : loc;
    this.issues.push({
      loc: shortLoc.map((part) => (typeof part === 'string' ? clip(part, MAX_LOC_SEGMENT_CHARS) : part)),
      msg: clip(msg, MAX_MSG_CHARS),
      type,
    });
  }

  /** The list to answer with, ending with the "… and more" entry when checking stopped early. */
  detail(location: string): ValidationIssue[] {
    const detail = [...this.issues];
    let stopped = this.stopped;
    // Each issue is already short; this only guards odd schemas (escaped names) against a large answer.
    while (detail.length > 1 && utf8Length(JSON.stringify(detail)) > MAX_DETAIL_BYTES) {
      detail.pop();
      stopped = true;
    }
    if (stopped) {
      detail.push({
        loc: [location],
        msg: `… and more: validation stopped after the first ${detail.length} issues`,
        type: 'too_many_errors',
      });
    }
    return detail;
  }
}

function checkField(field: InputFieldConfig, value: unknown, loc: (string | number)[], issues: IssueList) {
  if (!hasType(field.type, value)) {
    const [type, msg] = TYPE_ERRORS[field.type];
    issues.add(loc, msg, type);
    return;
  }
  if (field.enum && !field.enum.some((allowed) => sameValue(allowed, value))) {
    issues.add(loc, `Input should be ${describeEnum(field.enum)}`, 'enum');
  }
  if (field.type === 'array' && field.items) {
    const items = value as unknown[];
    for (let index = 0; index < items.length && !issues.stopped; index++)
      checkField(field.items, items[index], [...loc, index], issues);
  }
}

/** A flow's fields with FlowLLM's base fields, by own name. */
function fieldsOf(schema: Record<string, InputFieldConfig>): Map<string, InputFieldConfig> {
  return new Map(Object.entries({ ...BASE_FIELDS, ...schema }));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
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
