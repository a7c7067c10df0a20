import { HttpError } from './http-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

/**
 * Whether a `Content-Type` is JSON (`application/json`, `application/*+json`, any parameters).
 *
 * @example
 * isJsonContentType('application/json; charset=utf-8') // true
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * The `charset` parameter of a Content-Type when it names anything but UTF-8: JSON exchanged between
 * systems must be UTF-8 (RFC 8259 §8.1), so such a body is refused (415) rather than misread.
 *
 * @example
 * nonUtf8Charset('application/json; charset=latin1') // 'latin1'
 */
export function nonUtf8Charset(contentType: string | undefined): string | undefined {
  for (const param of (contentType ?? '').split(';').slice(1)) {
    const equals = param.indexOf('=');
    if (equals === -1 || param.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const value = param
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return /^utf-?8$/i.test(value) ? undefined : value;
  }
  return undefined;
}

/**
 * Parses a request body as JSON: 400 with the parser's reason when it is not JSON, and the checks of
 * `checkJsonShape`. An empty body is `{}`.
 *
 * @example
 * parseJsonBody('{"query":"hi"}') // { query: 'hi' }
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  checkJsonShape(value);
  return value;
}

/**
 * Refuses prototype-polluting keys (`__proto__`, `constructor`, `prototype`) and nesting deeper than
 * 64 levels, in bodies we parsed and in bodies a framework parsed for us.
 *
 * @example
 * checkJsonShape({ a: { __proto__: 1 } }) // throws HttpError 400
 */
export function checkJsonShape(value: unknown): void {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_DEPTH) throw new HttpError(400, `the body is nested deeper than ${MAX_DEPTH} levels`);
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, `the key '${key}' is not allowed in the body`);
      pending.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
}
