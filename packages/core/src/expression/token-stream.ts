import { END_OF_INPUT, END_OF_LINE, FlowExpressionError } from './errors.js';
import type { Token } from './tokens.js';

/**
 * Deepest bracket nesting accepted. The parsers recurse once per bracket level, so this bound
 * (checked here, before recursing) is what keeps hostile input from overflowing the stack.
 *
 * @example
 * '('.repeat(MAX_NESTING_DEPTH + 1); // rejected with a FlowExpressionError
 */
export const MAX_NESTING_DEPTH = 100;

const MAX_FOUND_LENGTH = 40;

/**
 * How a token appears as `found` in an error: its text (first line, shortened) or an end marker.
 *
 * @example
 * describeToken({ kind: 'end', text: '', pos: { line: 1, column: 4 } }); // 'end of input'
 */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return END_OF_INPUT;
  if (token.kind === 'newline') return END_OF_LINE;
  const firstLine = token.text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const cut = firstLine.slice(0, MAX_FOUND_LENGTH);
  return cut === token.text ? cut : `${cut}…`;
}

/**
 * A cursor over the token list shared by the op-expression and literal parsers, with the
 * error helpers and the nesting guard.
 *
 * @example
 * const stream = new TokenStream(tokenize('A()'), 'A()');
 * stream.peek().text; // 'A'
 */
export class TokenStream {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly source: string,
  ) {}

  /** The token `offset` ahead; past the end this is the `end` token. */
  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1]!;
    return this.tokens[this.index + offset] ?? last;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  acceptPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  /** Consumes punct `text` or fails; `opener` adds where an unclosed bracket began. */
  expectPunct(text: string, expected: string, opener?: Token): Token {
    const token = this.acceptPunct(text);
    if (token) return token;
    const found = this.peek();
    if (opener && found.kind === 'end') {
      const { line, column } = opener.pos;
      const reason = `expected ${expected} but found end of input ('${opener.text}' at line ${line}, column ${column} was never closed)`;
      this.fail(found, expected, reason);
    }
    return this.fail(found, expected);
  }

  /** Call on an opening bracket before recursing into it; pair with {@link leaveNesting}. */
  enterNesting(opener: Token): void {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      this.fail(
        opener,
        `at most ${MAX_NESTING_DEPTH} nested brackets`,
        `nesting deeper than ${MAX_NESTING_DEPTH} levels`,
      );
    }
  }

  leaveNesting(): void {
    this.depth--;
  }

  fail(token: Token, expected: string, reason?: string): never {
    throw new FlowExpressionError({
      position: token.pos,
      expected,
      found: describeToken(token),
      reason,
      source: this.source,
    });
  }
}
