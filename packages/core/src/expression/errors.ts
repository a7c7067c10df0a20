import { FlowllmError } from '../errors.js';
import type { SourcePosition } from './ast.js';

/**
 * The `code` of every {@link FlowExpressionError}.
 *
 * @example
 * if (FlowllmError.isInstance(e) && e.code === FLOW_EXPRESSION_ERROR_CODE) showPosition(e);
 */
export const FLOW_EXPRESSION_ERROR_CODE = 'FLOWLLM_FLOW_EXPRESSION';

/**
 * `found` when the input ran out.
 *
 * @example
 * if (error.found === END_OF_INPUT) suggestClosingBracket();
 */
export const END_OF_INPUT = 'end of input';

/**
 * `found` when a line ended (outside brackets) too early.
 *
 * @example
 * parseFlowExpression('A() >>\nB()'); // throws, found === END_OF_LINE
 */
export const END_OF_LINE = 'end of line';

/**
 * What a {@link FlowExpressionError} is built from.
 *
 * @example
 * const details: FlowExpressionErrorDetails = { position: { line: 1, column: 5 }, expected: "')'", found: '>>' };
 */
export interface FlowExpressionErrorDetails {
  position: SourcePosition;
  /** What would have been valid here, e.g. `')'` or `a keyword argument name`. */
  expected: string;
  /** The offending token's text, {@link END_OF_INPUT} or {@link END_OF_LINE}. */
  found: string;
  /** Replaces the default `expected X but found Y` wording when that reads badly. */
  reason?: string;
  /** When given, the message ends with the offending line and a caret under the column. */
  source?: string;
  cause?: unknown;
}

/**
 * The one error a flow expression raises, at a 1-based line and column.
 *
 * @example
 * try {
 *   parseFlowExpression('(A() >> B()');
 * } catch (e) {
 *   if (e instanceof FlowExpressionError) console.log(e.line, e.column, e.expected, e.found); // 1 12 "')'" 'end of input'
 * }
 */
export class FlowExpressionError extends FlowllmError {
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  constructor(details: FlowExpressionErrorDetails) {
    const { line, column } = details.position;
    const reason = details.reason ?? `expected ${details.expected} but found ${quoteFound(details.found)}`;
    const excerpt = details.source === undefined ? '' : sourceExcerpt(details.source, details.position);
    super(FLOW_EXPRESSION_ERROR_CODE, `line ${line}, column ${column}: ${reason}${excerpt}`, {
      cause: details.cause,
    });
    this.line = line;
    this.column = column;
    this.expected = details.expected;
    this.found = details.found;
  }
}

/**
 * Quotes token text for a message; the end markers stay bare.
 *
 * @example
 * quoteFound('>>'); // "'>>'"
 * quoteFound(END_OF_INPUT); // 'end of input'
 */
export function quoteFound(found: string): string {
  return found === END_OF_INPUT || found === END_OF_LINE ? found : `'${found}'`;
}

const EXCERPT_HALF_WIDTH = 60;

/**
 * The source line at `position` and a caret under its column, indented; long lines are windowed.
 *
 * @example
 * sourceExcerpt('A() >> )', { line: 1, column: 8 }); // '\n  A() >> )\n         ^'
 */
export function sourceExcerpt(source: string, position: SourcePosition): string {
  const text = nthLine(source, position.line);
  const caretIndex = Math.max(0, Math.min(position.column - 1, text.length));
  const start = Math.max(0, caretIndex - EXCERPT_HALF_WIDTH);
  const end = Math.min(text.length, caretIndex + EXCERPT_HALF_WIDTH);
  const prefix = start > 0 ? '…' : '';
  const shown = prefix + text.slice(start, end) + (end < text.length ? '…' : '');
  // Keep tabs so the caret lines up under tab-indented text.
  const padding = (prefix + text.slice(start, caretIndex)).replace(/[^\t]/g, ' ');
  return `\n  ${shown}\n  ${padding}^`;
}

function nthLine(source: string, lineNumber: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < source.length && line < lineNumber; i++) {
    const ch = source[i];
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      line++;
      start = i + 1;
    }
  }
  let end = start;
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  return source.slice(start, end);
}
