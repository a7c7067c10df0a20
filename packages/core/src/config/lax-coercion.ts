import { isPlainObject } from './check-value.js';
import type { InputFieldType } from './config-types.js';

/**
 * The outcome of converting a request value to a field's type: the converted value, or pydantic v2's
 * error `type` and `msg`.
 *
 * @example
 * const result: Coerced = { ok: false, type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' };
 */
export type Coerced = { ok: true; value: unknown } | { ok: false; type: string; msg: string };

// pydantic-core's numeric strings (after trimming whitespace): digits with single `_` between them;
// an integer may end in `.0…`, a float is Python's float() syntax without inf/nan.
const INT_TEXT = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;
const DIGITS = String.raw`\d+(?:_\d+)*`;
const FLOAT_TEXT = new RegExp(
  `^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);
const NOT_FINITE_TEXT = /^[+-]?(?:inf|infinity|nan)$/i;
// pydantic's accepted boolean strings, matched case-insensitively and not trimmed.
const TRUE_TEXTS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_TEXTS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

const fail = (type: string, msg: string): Coerced => ({ ok: false, type, msg });
const INT_TYPE = fail('int_type', 'Input should be a valid integer');
const INT_PARSING = fail(
  'int_parsing',
  'Input should be a valid integer, unable to parse string as an integer',
);
const INT_FROM_FLOAT = fail(
  'int_from_float',
  'Input should be a valid integer, got a number with a fractional part',
);
// pydantic's words for an integer past its 64-bit range; here past what a JS number holds exactly.
const INT_SIZE = fail(
  'int_parsing_size',
  'Unable to parse input string as an integer, exceeded maximum size',
);
const FLOAT_TYPE = fail('float_type', 'Input should be a valid number');
const FLOAT_PARSING = fail(
  'float_parsing',
  'Input should be a valid number, unable to parse string as a number',
);
// pydantic accepts inf and nan; JSON cannot carry them, so they are refused with its allow_inf_nan=False error.
const NOT_FINITE = fail('finite_number', 'Input should be a finite number');
const BOOL_TYPE = fail('bool_type', 'Input should be a valid boolean');
const BOOL_PARSING = fail('bool_parsing', 'Input should be a valid boolean, unable to interpret input');

/**
 * Converts a request value to a field's type with pydantic v2's lax-mode rules (FastAPI validates
 * FlowLLM's requests that way): an integer accepts `"5"`, `" 5 "`, `"1_000"`, `"5.0"`, `5.0` and
 * booleans; a number accepts numeric strings and booleans; a boolean accepts `0`/`1` and
 * `true/false/t/f/yes/no/y/n/on/off/1/0` in any case; a string accepts only a string.
 *
 * @example
 * laxCoerce('integer', '5'); // { ok: true, value: 5 }
 * laxCoerce('integer', '5.5'); // { ok: false, type: 'int_parsing', msg: '…' }
 * laxCoerce('string', 5); // { ok: false, type: 'string_type', msg: 'Input should be a valid string' }
 */
export function laxCoerce(type: InputFieldType, value: unknown): Coerced {
  switch (type) {
    case 'integer':
      return toInteger(value);
    case 'number':
      return toNumber(value);
    case 'boolean':
      return toBoolean(value);
    case 'string':
      return typeof value === 'string'
        ? { ok: true, value }
        : fail('string_type', 'Input should be a valid string');
    case 'array':
      return Array.isArray(value) ? { ok: true, value } : fail('list_type', 'Input should be a valid list');
    case 'object':
      return isPlainObject(value)
        ? { ok: true, value }
        : fail('dict_type', 'Input should be a valid dictionary');
  }
}

function toInteger(value: unknown): Coerced {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NOT_FINITE;
    if (!Number.isInteger(value)) return INT_FROM_FLOAT;
    return Number.isSafeInteger(value) ? { ok: true, value: value + 0 } : INT_SIZE;
  }
  if (typeof value !== 'string') return INT_TYPE;
  const text = value.trim();
  if (!INT_TEXT.test(text)) return INT_PARSING;
  const parsed = Number(text.replace(/_/g, '').replace(/\.0+$/, '')) + 0;
  return Number.isSafeInteger(parsed) ? { ok: true, value: parsed } : INT_SIZE;
}

function toNumber(value: unknown): Coerced {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : NOT_FINITE;
  if (typeof value !== 'string') return FLOAT_TYPE;
  const text = value.trim();
  if (NOT_FINITE_TEXT.test(text)) return NOT_FINITE;
  if (!FLOAT_TEXT.test(text)) return FLOAT_PARSING;
  const parsed = Number(text.replace(/_/g, ''));
  return Number.isFinite(parsed) ? { ok: true, value: parsed } : NOT_FINITE;
}

function toBoolean(value: unknown): Coerced {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'number') {
    if (value === 0 || value === 1) return { ok: true, value: value === 1 };
    return Number.isInteger(value) ? BOOL_PARSING : BOOL_TYPE;
  }
  if (typeof value !== 'string') return BOOL_TYPE;
  const text = value.toLowerCase();
  if (TRUE_TEXTS.has(text)) return { ok: true, value: true };
  if (FALSE_TEXTS.has(text)) return { ok: true, value: false };
  return BOOL_PARSING;
}
