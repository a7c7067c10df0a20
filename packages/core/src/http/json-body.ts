import { FORBIDDEN_KEYS } from '../config/merge.js';
import { HttpError } from './http-error.js';

const MAX_DEPTH = 64;
const MAX_REASON_CHARS = 200;

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
    // V8 quotes a few characters of the body; other runtimes may quote more, so the reason is cut short.
    throw new HttpError(
      400,
      `the body is not valid JSON: ${clip((error as Error).message, MAX_REASON_CHARS)}`,
    );
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
  const pending: [object, number][] = [];
  const visit = (child: unknown, depth: number) => {
    // Only objects and lists are queued: a long list of numbers costs one loop, not one entry each.
    if (typeof child !== 'object' || child === null) return;
    if (depth >= MAX_DEPTH) throw new HttpError(400, `the body is nested deeper than ${MAX_DEPTH} levels`);
    pending.push([child, depth]);
  };
  visit(value, 0);
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (Array.isArray(current)) {
      for (const item of current) visit(item, depth + 1);
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new HttpError(400, `the key '${key}' is not allowed in a request (body or query string)`);
      visit((current as Record<string, unknown>)[key], depth + 1);
    }
  }
}

/**
 * `text` cut to at most `max` characters, ending with `…` when cut: keeps texts built from a request
 * (or from a config) short in an error answer.
 *
 * @example
 * clip('abcdef', 4) // 'abc…'
 */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
