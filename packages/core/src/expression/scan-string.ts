import { END_OF_INPUT, END_OF_LINE } from './errors.js';
import type { SourceCursor } from './source-cursor.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Scans a Python string literal ('…', "…", '''…''' or """…""") at the cursor and returns its value.
 * `raw` (an `r` prefix) keeps backslashes as written, as Python does.
 *
 * @example
 * const cursor = new SourceCursor(String.raw`'a\tb'`);
 * scanString(cursor, false); // 'a\tb' with a real tab
 */
export function scanString(cursor: SourceCursor, raw: boolean): string {
  const start = cursor.position();
  const quote = cursor.peek();
  const triple = cursor.peek(1) === quote && cursor.peek(2) === quote;
  const closing = triple ? quote.repeat(3) : quote;
  cursor.advance(closing.length);
  let value = '';
  for (;;) {
    if (cursor.atEnd) unterminated(cursor, start, closing, END_OF_INPUT);
    const ch = cursor.peek();
    if (cursor.atNewline()) {
      if (!triple) unterminated(cursor, start, closing, END_OF_LINE);
      cursor.consumeNewline();
      value += '\n';
    } else if (ch === quote && (!triple || (cursor.peek(1) === quote && cursor.peek(2) === quote))) {
      cursor.advance(closing.length);
      return value;
    } else if (ch === '\\') {
      value += raw ? scanRawBackslash(cursor) : scanEscape(cursor);
    } else {
      value += ch;
      cursor.advance();
    }
  }
}

function unterminated(
  cursor: SourceCursor,
  start: { line: number; column: number },
  closing: string,
  found: string,
): never {
  const expected = `a closing ${closing}`;
  return cursor.fail(start, {
    expected,
    found,
    reason: `unterminated string literal: expected ${expected} but found ${found}`,
  });
}

/** In a raw string a backslash and the character after it are both kept (so `r'\''` is `\'`). */
function scanRawBackslash(cursor: SourceCursor): string {
  cursor.advance();
  if (cursor.atEnd) return '\\';
  if (cursor.atNewline()) {
    cursor.consumeNewline();
    return '\\\n';
  }
  const next = cursor.peek();
  cursor.advance();
  return `\\${next}`;
}

function scanEscape(cursor: SourceCursor): string {
  const escapeStart = cursor.position();
  cursor.advance();
  if (cursor.atEnd) return '\\'; // the unterminated-string error follows
  if (cursor.atNewline()) {
    cursor.consumeNewline(); // backslash-newline joins the lines
    return '';
  }
  const letter = cursor.peek();
  cursor.advance();
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return simple;
  if (letter >= '0' && letter <= '7') return String.fromCharCode(scanOctal(cursor, letter));
  const hexLength = HEX_ESCAPE_LENGTH[letter];
  if (hexLength !== undefined) return scanHexEscape(cursor, letter, hexLength, escapeStart);
  if (letter === 'N') {
    cursor.fail(escapeStart, {
      expected: 'an escape other than \\N{...}',
      found: '\\N',
      reason: '\\N{name} escapes are not supported',
    });
  }
  return `\\${letter}`; // Python keeps unknown escapes such as \d as written
}

function scanOctal(cursor: SourceCursor, first: string): number {
  let digits = first;
  while (digits.length < 3 && cursor.peek() >= '0' && cursor.peek() <= '7') {
    digits += cursor.peek();
    cursor.advance();
  }
  return Number.parseInt(digits, 8);
}

function scanHexEscape(
  cursor: SourceCursor,
  letter: string,
  length: number,
  escapeStart: { line: number; column: number },
): string {
  let digits = '';
  while (digits.length < length && /^[0-9a-fA-F]$/.test(cursor.peek())) {
    digits += cursor.peek();
    cursor.advance();
  }
  const expected = `${length} hex digits after \\${letter}`;
  if (digits.length < length) {
    const found = cursor.atEnd ? END_OF_INPUT : `\\${letter}${digits}${cursor.peek()}`;
    cursor.fail(escapeStart, { expected, found, reason: `invalid \\${letter} escape: expected ${expected}` });
  }
  const code = Number.parseInt(digits, 16);
  if (code > 0x10ffff) {
    cursor.fail(escapeStart, { expected: 'a code point up to \\U0010FFFF', found: `\\${letter}${digits}` });
  }
  return String.fromCodePoint(code);
}
