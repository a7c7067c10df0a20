import type { SourcePosition } from './ast.js';
import { scanNumber } from './scan-number.js';
import { scanString } from './scan-string.js';
import { describeChar, SourceCursor } from './source-cursor.js';

/**
 * One token. `text` is the exact source text; strings and numbers carry their decoded `value`
 * (numbers are unsigned: a leading `-` is its own punct token). `newline` ends a logical line;
 * `end` is always last.
 *
 * @example
 * tokenize('A(x=-1)').map((t) => t.text); // ['A', '(', 'x', '=', '-', '1', ')', '']
 */
export type Token =
  | { kind: 'name' | 'punct' | 'newline' | 'end'; text: string; pos: SourcePosition }
  | { kind: 'string'; text: string; value: string; pos: SourcePosition }
  | { kind: 'number'; text: string; value: number; pos: SourcePosition };

const TWO_CHAR_PUNCT = new Set(['>>', '<<']);
const ONE_CHAR_PUNCT = new Set(['|', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '-', '+']);
const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);
const STRING_PREFIXES = new Set(['r', 'u']);
const UNSUPPORTED_PREFIXES = new Set(['b', 'br', 'rb', 'f', 'fr', 'rf']);

const isIdentStart = (ch: string): boolean => /^[\p{ID_Start}_]$/u.test(ch);
const isIdentPart = (ch: string): boolean => /^[\p{ID_Continue}]$/u.test(ch);
const isQuote = (ch: string): boolean => ch === "'" || ch === '"';
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';

/**
 * Splits flow-expression source into tokens. Newlines inside ( [ { are skipped (Python's implicit
 * line joining), as are blank lines, `#` comments and backslash-newline continuations.
 *
 * @example
 * tokenize('a = B()\n# note\na').map((t) => t.kind);
 * // ['name', 'punct', 'name', 'punct', 'punct', 'newline', 'name', 'end']
 */
export function tokenize(source: string): Token[] {
  const cursor = new SourceCursor(source);
  const tokens: Token[] = [];
  let depth = 0;
  let lineHasTokens = false;
  while (!cursor.atEnd) {
    const ch = cursor.peek();
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      cursor.advance();
    } else if (cursor.atNewline()) {
      if (depth === 0 && lineHasTokens) tokens.push({ kind: 'newline', text: '\n', pos: cursor.position() });
      lineHasTokens = depth > 0 && lineHasTokens;
      cursor.consumeNewline();
    } else if (ch === '#') {
      while (!cursor.atEnd && !cursor.atNewline()) cursor.advance();
    } else if (ch === '\\') {
      skipLineContinuation(cursor);
    } else {
      const token = scanToken(cursor);
      if (OPENING.has(token.text)) depth++;
      // A stray closer leaves depth at 0; the parser reports it.
      if (CLOSING.has(token.text)) depth = Math.max(0, depth - 1);
      tokens.push(token);
      lineHasTokens = true;
    }
  }
  tokens.push({ kind: 'end', text: '', pos: cursor.position() });
  return tokens;
}

function skipLineContinuation(cursor: SourceCursor): void {
  const position = cursor.position();
  cursor.advance();
  if (cursor.atNewline()) {
    cursor.consumeNewline();
    return;
  }
  cursor.fail(position, { expected: 'a newline right after a line-continuation backslash', found: '\\' });
}

function scanToken(cursor: SourceCursor): Token {
  const pos = cursor.position();
  const start = cursor.index;
  const ch = cursor.peek();
  if (isQuote(ch)) return stringToken(cursor, start, pos, false);
  if (isDigit(ch) || (ch === '.' && isDigit(cursor.peek(1)))) {
    const value = scanNumber(cursor);
    return { kind: 'number', text: cursor.source.slice(start, cursor.index), value, pos };
  }
  const pair = ch + cursor.peek(1);
  if (TWO_CHAR_PUNCT.has(pair)) {
    cursor.advance(2);
    return { kind: 'punct', text: pair, pos };
  }
  if (ONE_CHAR_PUNCT.has(ch)) {
    cursor.advance();
    return { kind: 'punct', text: ch, pos };
  }
  const codePoint = String.fromCodePoint(cursor.source.codePointAt(start) ?? 0);
  if (isIdentStart(codePoint)) return nameOrPrefixedString(cursor, start, pos);
  if (ch === '>' || ch === '<') cursor.fail(pos, { expected: `'${ch}${ch}'`, found: ch });
  return cursor.fail(pos, {
    expected: 'an op call, a name, a literal, an operator (>>, |, <<) or a bracket',
    found: describeChar(codePoint),
    reason: `unexpected character '${describeChar(codePoint)}'`,
  });
}

function nameOrPrefixedString(cursor: SourceCursor, start: number, pos: SourcePosition): Token {
  for (;;) {
    const codePoint = String.fromCodePoint(cursor.source.codePointAt(cursor.index) ?? 0);
    if (cursor.atEnd || !isIdentPart(codePoint)) break;
    cursor.advance(codePoint.length);
  }
  const text = cursor.source.slice(start, cursor.index);
  if (isQuote(cursor.peek())) {
    const prefix = text.toLowerCase();
    if (STRING_PREFIXES.has(prefix)) return stringToken(cursor, start, pos, prefix === 'r');
    if (UNSUPPORTED_PREFIXES.has(prefix)) {
      cursor.fail(pos, {
        expected: 'a plain string literal',
        found: text,
        reason: `${text}'…' strings (bytes, f-strings) are not supported`,
      });
    }
  }
  return { kind: 'name', text, pos };
}

function stringToken(cursor: SourceCursor, start: number, pos: SourcePosition, raw: boolean): Token {
  const value = scanString(cursor, raw);
  return { kind: 'string', text: cursor.source.slice(start, cursor.index), value, pos };
}
