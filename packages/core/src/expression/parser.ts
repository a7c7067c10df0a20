import type { FlowProgram, FlowStatement } from './ast.js';
import { FlowExpressionError } from './errors.js';
import { ExpressionParser, PYTHON_KEYWORDS } from './parse-expression.js';
import { TokenStream } from './token-stream.js';
import { type Token, tokenize } from './tokens.js';

/**
 * Longest source accepted, in UTF-16 code units.
 *
 * @example
 * parseFlowExpression('A() >> '.repeat(MAX_SOURCE_LENGTH)); // throws FlowExpressionError
 */
export const MAX_SOURCE_LENGTH = 100_000;

const AFTER_OPERAND = 'an operator (>>, | or <<) or the end of the line';

/**
 * Parses FlowLLM's `flow_content`: lines of `x = expr`, `x.ops.key = expr` or bare expressions,
 * then a last line that yields the flow's op. Throws only {@link FlowExpressionError}.
 *
 * @example
 * const program = parseFlowExpression('op = ContainerOp()\nop.ops.search = SearchOp()\nop >> AnswerOp()');
 * program.statements.length; // 2
 * program.result.kind; // 'binary'
 */
export function parseFlowExpression(source: string): FlowProgram {
  if (typeof source !== 'string') {
    throw new FlowExpressionError({
      position: { line: 1, column: 1 },
      expected: 'a string of flow expression source',
      found: typeof source,
    });
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new FlowExpressionError({
      position: { line: 1, column: 1 },
      expected: `at most ${MAX_SOURCE_LENGTH} characters`,
      found: `${source.length} characters`,
      reason: `the flow expression is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
    });
  }
  return new FlowParser(new TokenStream(tokenize(source), source)).parseProgram();
}

/** The line level: statements, then the last line's expression. */
class FlowParser {
  /** Variables assigned so far, in line order, so unknown names fail at parse time. */
  private readonly defined = new Set<string>();
  private readonly expressions: ExpressionParser;

  constructor(private readonly stream: TokenStream) {
    this.expressions = new ExpressionParser(stream, this.defined);
  }

  parseProgram(): FlowProgram {
    const statements: FlowStatement[] = [];
    const stream = this.stream;
    for (;;) {
      const { statement, assignToken } = this.parseStatement();
      const after = stream.peek();
      if (after.kind === 'newline') stream.next();
      else if (after.kind !== 'end') stream.fail(after, AFTER_OPERAND);
      if (stream.peek().kind !== 'end') {
        statements.push(statement);
        continue;
      }
      if (statement.kind === 'expr') return { statements, result: statement.expr, source: stream.source };
      return stream.fail(
        assignToken ?? after,
        'an expression that yields an op',
        'the last line must be an expression that yields an op, not an assignment',
      );
    }
  }

  private parseStatement(): { statement: FlowStatement; assignToken?: Token } {
    const stream = this.stream;
    const first = stream.peek();
    if (first.kind === 'name' && stream.isPunct('=', 1)) {
      if (PYTHON_KEYWORDS.has(first.text)) {
        stream.fail(first, 'a variable name', `cannot assign to '${first.text}'`);
      }
      stream.next();
      const assignToken = stream.next();
      const value = this.expressions.parseExpr();
      this.defined.add(first.text);
      return { statement: { kind: 'assign', target: first.text, value, pos: first.pos }, assignToken };
    }
    if (first.kind === 'name' && stream.isPunct('.', 1)) return this.parseAttachOne(first);
    const expr = this.expressions.parseExpr();
    return { statement: { kind: 'expr', expr, pos: first.pos } };
  }

  /** `x.ops.key = expr`: the only attribute target FlowLLM flows use. */
  private parseAttachOne(target: Token): { statement: FlowStatement; assignToken: Token } {
    const stream = this.stream;
    this.expressions.requireDefined(target);
    stream.next();
    stream.next(); // the '.'
    const attribute = stream.peek();
    if (attribute.kind !== 'name' || attribute.text !== 'ops') {
      stream.fail(attribute, '`ops`, as in `x.ops.search = SearchOp()`');
    }
    stream.next();
    stream.expectPunct('.', "'.' after `ops`, as in `x.ops.search = SearchOp()`");
    const key = stream.peek();
    if (key.kind !== 'name') {
      stream.fail(key, 'a sub-op name after `ops.`, as in `x.ops.search = SearchOp()`');
    }
    stream.next();
    const assignToken = stream.expectPunct('=', "'=', as in `x.ops.search = SearchOp()`");
    const value = this.expressions.parseExpr();
    return {
      statement: { kind: 'attachOne', target: target.text, key: key.text, value, pos: target.pos },
      assignToken,
    };
  }
}
