import type { SourceCursor } from './source-cursor.js';

const RADIX_PREFIXES: Record<string, number> = { x: 16, X: 16, o: 8, O: 8, b: 2, B: 2 };

const isDecimalDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isWordChar = (ch: string): boolean => /^[\p{ID_Continue}]$/u.test(ch);

/**
 * Scans an unsigned Python number at the cursor (`42`, `1_000`, `0x1F`, `0.2`, `.5`, `1e-3`) and
 * returns its value. Ints past 2^53 are rejected rather than silently rounded.
 *
 * @example
 * scanNumber(new SourceCursor('1e-3')); // 0.001
 */
export function scanNumber(cursor: SourceCursor): number {
  const start = cursor.index;
  const startPos = cursor.position();
  const radix = cursor.peek() === '0' ? RADIX_PREFIXES[cursor.peek(1)] : undefined;
  if (radix !== undefined) {
    cursor.advance(2);
    const digits = scanDigits(cursor, (ch) => isDigitOfRadix(ch, radix), true);
    if (digits === '') invalid(cursor, start, `digits after ${cursor.source.slice(start, cursor.index)}`);
    rejectTrailingWordChar(cursor, start);
    return checkedInteger(cursor, startPos, start, Number.parseInt(digits, radix));
  }
  const integerPart = scanDigits(cursor, isDecimalDigit, false);
  let isFloat = false;
  if (cursor.peek() === '.') {
    isFloat = true;
    cursor.advance();
    scanDigits(cursor, isDecimalDigit, false);
  }
  if (cursor.peek() === 'e' || cursor.peek() === 'E') {
    isFloat = true;
    cursor.advance();
    if (cursor.peek() === '+' || cursor.peek() === '-') cursor.advance();
    if (scanDigits(cursor, isDecimalDigit, false) === '') invalid(cursor, start, 'digits in the exponent');
  }
  if (cursor.peek() === 'j' || cursor.peek() === 'J') {
    cursor.fail(startPos, {
      expected: 'an int or a float',
      found: `${cursor.source.slice(start, cursor.index)}j`,
      reason: 'complex numbers are not supported',
    });
  }
  rejectTrailingWordChar(cursor, start);
  const text = cursor.source.slice(start, cursor.index).replaceAll('_', '');
  if (!isFloat && /^0+[1-9]/.test(integerPart)) {
    cursor.fail(startPos, {
      expected: 'a decimal integer without leading zeros (use 0o for octal)',
      found: text,
    });
  }
  const value = Number(text);
  return isFloat ? value : checkedInteger(cursor, startPos, start, value);
}

/** Digits with single underscores between them, as Python allows (`1_000`). */
function scanDigits(
  cursor: SourceCursor,
  isDigit: (ch: string) => boolean,
  leadingUnderscore: boolean,
): string {
  let digits = '';
  for (;;) {
    const ch = cursor.peek();
    if (isDigit(ch)) {
      digits += ch;
      cursor.advance();
    } else if (ch === '_' && (digits !== '' || leadingUnderscore) && isDigit(cursor.peek(1))) {
      cursor.advance();
    } else {
      return digits;
    }
  }
}

function isDigitOfRadix(ch: string, radix: number): boolean {
  if (ch === '') return false;
  const value = Number.parseInt(ch, 16);
  return !Number.isNaN(value) && value < radix;
}

function rejectTrailingWordChar(cursor: SourceCursor, start: number): void {
  const ch = cursor.peek();
  if (ch !== '' && (isWordChar(ch) || ch === '.')) invalid(cursor, start, 'a complete number');
}

function invalid(cursor: SourceCursor, start: number, expected: string): never {
  const position = cursor.position(start);
  const next = cursor.peek();
  const found =
    cursor.source.slice(start, cursor.index) +
    (next !== '' && (isWordChar(next) || next === '.') ? next : '');
  return cursor.fail(position, {
    expected,
    found,
    reason: `invalid number literal '${found}': expected ${expected}`,
  });
}

function checkedInteger(
  cursor: SourceCursor,
  position: { line: number; column: number },
  start: number,
  value: number,
): number {
  if (Number.isSafeInteger(value)) return value;
  return cursor.fail(position, {
    expected: `an integer of at most ${Number.MAX_SAFE_INTEGER} (or a float such as 1e20)`,
    found: cursor.source.slice(start, cursor.index),
    reason: 'integer literal too large to represent exactly',
  });
}
