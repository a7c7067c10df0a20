import type { FlowExpr, Literal } from './ast.js';
import { parseLiteral, parseStringLiteral } from './parse-literal.js';
import type { TokenStream } from './token-stream.js';
import type { Token } from './tokens.js';

const OPERAND = 'an op call like `ChatOp()`, a name or `(`';
const OPERAND_OF_ATTACH = 'an op call like `ChatOp()`, a name, `(`, `[` or `{`';
const KWARG_NAME = "a keyword argument name followed by '=' (positional arguments are not supported)";
const COLLECTION_REASON = 'is only allowed on the right of <<';

/**
 * Python keywords: never a variable, op name or kwarg name (True/False/None are literals).
 *
 * @example
 * PYTHON_KEYWORDS.has('lambda'); // true
 */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  ...['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue'],
  ...['def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in'],
  ...['is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield'],
]);

/**
 * Recursive-descent parser for one op expression. Precedence is Python's: `>>` and `<<` share a
 * level above `|`, all left-associative; recursion happens only inside brackets, which the
 * stream's nesting guard bounds.
 *
 * @example
 * const stream = new TokenStream(tokenize('A() >> B() | C()'), src);
 * new ExpressionParser(stream, new Set()).parseExpr(); // binary '|' whose left is binary '>>'
 */
export class ExpressionParser {
  constructor(
    private readonly stream: TokenStream,
    /** Variables assigned on earlier lines; a name not in here is an error at its position. */
    private readonly defined: ReadonlySet<string>,
  ) {}

  /** The `|` level: lowest precedence, left-associative. */
  parseExpr(): FlowExpr {
    let left = this.parseChain();
    for (let op = this.stream.acceptPunct('|'); op; op = this.stream.acceptPunct('|')) {
      left = { kind: 'binary', op: '|', left, right: this.parseChain(), pos: op.pos };
    }
    return left;
  }

  /** The `>>` / `<<` level: one shared precedence, left-associative (as in Python). */
  private parseChain(): FlowExpr {
    let left = this.parseOperand(false);
    for (;;) {
      const op = this.stream.acceptPunct('>>') ?? this.stream.acceptPunct('<<');
      if (!op) return left;
      const kind = op.text === '<<' ? '<<' : '>>';
      left = { kind: 'binary', op: kind, left, right: this.parseOperand(kind === '<<'), pos: op.pos };
    }
  }

  /** An op call, a name, `( expr )`, or — only right of `<<` — a dict or list of ops. */
  private parseOperand(rightOfAttach: boolean): FlowExpr {
    const stream = this.stream;
    const token = stream.peek();
    const expected = rightOfAttach ? OPERAND_OF_ATTACH : OPERAND;
    if (token.kind === 'name' && !PYTHON_KEYWORDS.has(token.text)) {
      stream.next();
      if (stream.isPunct('(')) return this.parseCall(token);
      this.requireDefined(token);
      return { kind: 'name', name: token.text, pos: token.pos };
    }
    if (stream.isPunct('(')) {
      const open = stream.next();
      stream.enterNesting(open);
      const inner = this.parseExpr();
      stream.expectPunct(')', "an operator (>>, | or <<) or ')'", open);
      stream.leaveNesting();
      return inner;
    }
    if (stream.isPunct('{') || stream.isPunct('[')) {
      const what = token.text === '{' ? 'a dict of ops' : 'a list of ops';
      if (!rightOfAttach) stream.fail(token, expected, `${what} ${COLLECTION_REASON}`);
      return token.text === '{' ? this.parseOpDict() : this.parseOpList();
    }
    return stream.fail(token, expected);
  }

  private parseCall(name: Token): FlowExpr {
    const stream = this.stream;
    const open = stream.next();
    stream.enterNesting(open);
    const kwargs: { name: string; value: Literal }[] = [];
    const seen = new Set<string>();
    for (;;) {
      if (stream.acceptPunct(')')) break;
      const kwarg = stream.peek();
      if (kwarg.kind !== 'name' || PYTHON_KEYWORDS.has(kwarg.text) || !stream.isPunct('=', 1)) {
        stream.fail(kwarg, KWARG_NAME);
      }
      if (seen.has(kwarg.text)) {
        stream.fail(
          kwarg,
          'a keyword argument name not used before in this call',
          `keyword argument repeated: '${kwarg.text}'`,
        );
      }
      seen.add(kwarg.text);
      stream.next();
      stream.next(); // the '='
      kwargs.push({ name: kwarg.text, value: parseLiteral(stream) });
      if (stream.acceptPunct(',')) continue;
      stream.expectPunct(')', "',' or ')'", open);
      break;
    }
    stream.leaveNesting();
    return { kind: 'call', name: name.text, kwargs, pos: name.pos };
  }

  private parseOpDict(): FlowExpr {
    const stream = this.stream;
    const open = stream.next();
    stream.enterNesting(open);
    const entries: { key: string; value: FlowExpr }[] = [];
    const seen = new Set<string>();
    for (;;) {
      if (stream.acceptPunct('}')) break;
      const keyToken = stream.peek();
      if (keyToken.kind !== 'string') stream.fail(keyToken, 'a string key like "search" or \'}\'');
      const key = parseStringLiteral(stream);
      // Python would silently keep the last op; a repeated sub-op name is always a mistake here.
      if (seen.has(key)) {
        stream.fail(
          keyToken,
          'a key not used before in this dict',
          `duplicate key '${key}' in a dict of ops`,
        );
      }
      seen.add(key);
      stream.expectPunct(':', "':' after the key");
      entries.push({ key, value: this.parseExpr() });
      if (stream.acceptPunct(',')) continue;
      stream.expectPunct('}', "',' or '}'", open);
      break;
    }
    stream.leaveNesting();
    return { kind: 'dict', entries, pos: open.pos };
  }

  private parseOpList(): FlowExpr {
    const stream = this.stream;
    const open = stream.next();
    stream.enterNesting(open);
    const items: FlowExpr[] = [];
    for (;;) {
      if (stream.acceptPunct(']')) break;
      items.push(this.parseExpr());
      if (stream.acceptPunct(',')) continue;
      stream.expectPunct(']', "',' or ']'", open);
      break;
    }
    stream.leaveNesting();
    return { kind: 'list', items, pos: open.pos };
  }

  /** Fails at `name` unless an earlier line assigned it. */
  requireDefined(name: Token): void {
    if (this.defined.has(name.text)) return;
    this.stream.fail(name, 'a name assigned on an earlier line', `name '${name.text}' is not defined`);
  }
}
