import type { SourcePosition } from './ast.js';
import { FlowExpressionError, type FlowExpressionErrorDetails } from './errors.js';

/** What is wrong at a position: see {@link FlowExpressionErrorDetails}. */
export type SourceProblem = Pick<FlowExpressionErrorDetails, 'expected' | 'found' | 'reason'>;

/**
 * Walks the source one character at a time and knows the current line and column,
 * so the tokenizer and its string/number scanners share one notion of position.
 *
 * @example
 * const cursor = new SourceCursor('a\nb');
 * cursor.advance(); cursor.consumeNewline();
 * cursor.position(); // { line: 2, column: 1 }
 */
export class SourceCursor {
  index = 0;
  line = 1;
  private lineStart = 0;

  constructor(readonly source: string) {}

  get atEnd(): boolean {
    return this.index >= this.source.length;
  }

  /** The character `offset` code units ahead, or '' past the end. */
  peek(offset = 0): string {
    return this.source[this.index + offset] ?? '';
  }

  /** The position of the current character (or of `index`, which must be on the current line). */
  position(index = this.index): SourcePosition {
    return { line: this.line, column: index - this.lineStart + 1 };
  }

  /** Moves forward within the current line. */
  advance(count = 1): void {
    this.index += count;
  }

  atNewline(): boolean {
    const ch = this.peek();
    return ch === '\n' || ch === '\r';
  }

  /** Consumes `\r\n`, `\r` or `\n` (Python's universal newlines) and starts the next line. */
  consumeNewline(): void {
    this.index += this.peek() === '\r' && this.peek(1) === '\n' ? 2 : 1;
    this.line++;
    this.lineStart = this.index;
  }

  /** Throws the {@link FlowExpressionError} for `position`, with this source's line under it. */
  fail(position: SourcePosition, { expected, found, reason }: SourceProblem): never {
    throw new FlowExpressionError({ position, expected, found, reason, source: this.source });
  }
}

/**
 * Shows one character in an error: printable ones as themselves, others as `U+XXXX`.
 *
 * @example
 * describeChar('@'); // '@'
 * describeChar('\u00a0'); // 'U+00A0'
 */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const printable = code > 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0xa0) && !/\s/u.test(ch);
  return printable ? ch : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
