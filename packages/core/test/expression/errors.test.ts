import { describe, expect, it } from 'vitest';
import { FlowllmError } from '../../src/errors.js';
import { FLOW_EXPRESSION_ERROR_CODE, type FlowExpressionError } from '../../src/expression/errors.js';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { MAX_SOURCE_LENGTH, parseFlowExpression } from '../../src/expression/parser.js';
import { flowError, shapeBuilder } from './shape-builder.js';

const parseError = (source: string): FlowExpressionError => flowError(() => parseFlowExpression(source));

describe('syntax errors carry line, column, expected and found', () => {
  it('unclosed paren: expects ) at end of input and says where it opened', () => {
    const error = parseError('op = Op1Op()\nop >> (Op2Op()\n  | Op3Op()');
    expect(error).toMatchObject({ line: 3, column: 12, found: 'end of input' });
    expect(error.expected).toContain("')'");
    expect(error.message).toContain("'(' at line 2, column 7 was never closed");
  });

  it('missing operand at the end of a line', () => {
    const error = parseError('Op1Op() >> \nOp2Op()');
    expect(error).toMatchObject({ line: 1, column: 12, found: 'end of line' });
    expect(error.expected).toBe('an op call like `ChatOp()`, a name or `(`');
  });

  it('missing operand at the end of input', () => {
    expect(parseError('Op1Op() |')).toMatchObject({ line: 1, column: 10, found: 'end of input' });
  });

  it('missing operand between two operators', () => {
    expect(parseError('Op1Op() >> | Op2Op()')).toMatchObject({ line: 1, column: 12, found: '|' });
  });

  it('stray token after a complete expression', () => {
    const error = parseError('Op1Op() Op2Op()');
    expect(error).toMatchObject({ line: 1, column: 9, found: 'Op2Op' });
    expect(error.expected).toBe('an operator (>>, | or <<) or the end of the line');
  });

  it('stray closing paren', () => {
    expect(parseError('a = Op1Op()\n  a)')).toMatchObject({ line: 2, column: 4, found: ')' });
  });

  it('positional argument', () => {
    const error = parseError("Op1Op('x')");
    expect(error).toMatchObject({ line: 1, column: 7, found: "'x'" });
    expect(error.expected).toContain('keyword argument name');
  });

  it('positional argument that looks like a name', () => {
    expect(parseError('Op1Op(a=1, b)')).toMatchObject({ column: 12, found: 'b' });
  });

  it('duplicate kwarg', () => {
    const error = parseError('Op1Op(a=1, b=2,\n  a=3)');
    expect(error).toMatchObject({ line: 2, column: 3, found: 'a' });
    expect(error.message).toContain("keyword argument repeated: 'a'");
  });

  it('kwarg followed by something other than , or )', () => {
    const error = parseError('Op1Op(a=1 >> Op2Op())');
    expect(error).toMatchObject({ column: 11, expected: "',' or ')'", found: '>>' });
    expect(error.message.split('\n')[0]).toBe("line 1, column 11: expected ',' or ')' but found '>>'");
  });

  it('unterminated string points at its opening quote', () => {
    const error = parseError('Op1Op(p="abc)\nOp2Op()');
    expect(error).toMatchObject({ line: 1, column: 9, expected: 'a closing "', found: 'end of line' });
  });

  it('unterminated triple-quoted string runs to the end of input', () => {
    expect(parseError("x = Op1Op(p='''abc\n)\nx")).toMatchObject({
      line: 1,
      column: 13,
      found: 'end of input',
    });
  });

  it('unknown name', () => {
    const error = parseError('a = Op1Op()\na >> b');
    expect(error).toMatchObject({ line: 2, column: 6, found: 'b' });
    expect(error.message).toContain("name 'b' is not defined");
  });

  it('a name used on the line that assigns it is still unknown', () => {
    expect(parseError('a = a >> Op1Op()\na')).toMatchObject({ line: 1, column: 5, found: 'a' });
  });

  it('assignment on the last line', () => {
    const error = parseError('a = Op1Op()\nb = a\n# done\n');
    expect(error).toMatchObject({ line: 2, column: 3, found: '=' });
    expect(error.message).toContain('the last line must be an expression that yields an op');
  });

  it('attach statement on the last line', () => {
    expect(parseError('op = C()\nop.ops.x = D()').message).toContain('the last line must be an expression');
  });

  it('bad attribute target names what was expected', () => {
    const error = parseError('op = ContainerOp()\nop.subs.search = Op1Op()\nop');
    expect(error).toMatchObject({ line: 2, column: 4, found: 'subs' });
    expect(error.expected).toContain('`ops`');
  });

  it('attribute target missing its key', () => {
    const error = parseError('op = ContainerOp()\nop.ops = Op1Op()\nop');
    expect(error).toMatchObject({ line: 2, column: 8, found: '=' });
    expect(error.expected).toContain("'.' after `ops`");
  });

  it('attribute target on an unknown variable', () => {
    expect(parseError('op.ops.search = Op1Op()\nOp1Op()').message).toContain("name 'op' is not defined");
  });

  it('dict of ops outside << is rejected at its position', () => {
    const error = parseError('Op1Op() >> {"a": Op2Op()}');
    expect(error).toMatchObject({ line: 1, column: 12, found: '{' });
    expect(error.message).toContain('a dict of ops is only allowed on the right of <<');
  });

  it('list of ops outside << is rejected at its position', () => {
    expect(parseError('x = Op1Op()\n[x] | Op2Op()')).toMatchObject({ line: 2, column: 1, found: '[' });
  });

  it('a dict nested inside the dict right of << is rejected', () => {
    const error = parseError('Op1Op() << {"a": {"b": Op2Op()}}');
    expect(error).toMatchObject({ column: 18, found: '{' });
  });

  it('a dict of ops needs string keys and no repeats', () => {
    expect(parseError('Op1Op() << {a: Op2Op()}')).toMatchObject({ column: 13, found: 'a' });
    expect(parseError('Op1Op() << {"a": Op2Op(), "a": Op3Op()}').message).toContain("duplicate key 'a'");
  });

  it('nesting deeper than 100 levels is a syntax error, 100 is fine', () => {
    const nested = (depth: number) => `a = Op1Op()\n${'('.repeat(depth)}a${')'.repeat(depth)}`;
    expect(() => parseFlowExpression(nested(100))).not.toThrow();
    const error = parseError(nested(101));
    expect(error).toMatchObject({ line: 2, column: 101, found: '(' });
    expect(error.expected).toBe('at most 100 nested brackets');
    expect(error.message).toContain('nesting deeper than 100 levels');
  });

  it("an op call's own parentheses count as a level", () => {
    expect(() => parseFlowExpression(`${'('.repeat(99)}Op1Op()${')'.repeat(99)}`)).not.toThrow();
    expect(parseError(`${'('.repeat(100)}Op1Op()${')'.repeat(100)}`)).toMatchObject({
      column: 106,
      found: '(',
    });
  });

  it('kwarg literal nesting counts the call parentheses as one level', () => {
    expect(() => parseFlowExpression(`Op1Op(v=${'['.repeat(99)}${']'.repeat(99)})`)).not.toThrow();
    expect(parseError(`Op1Op(v=${'['.repeat(100)}${']'.repeat(100)})`)).toMatchObject({
      column: 108,
      found: '[',
    });
  });

  it('an empty program expects an expression', () => {
    expect(parseError('\n  # only a comment\n')).toMatchObject({ line: 3, column: 1, found: 'end of input' });
  });

  it('too long input', () => {
    const source = 'Op1Op() >> '.repeat(MAX_SOURCE_LENGTH / 10);
    const error = parseError(source);
    expect(error).toMatchObject({ line: 1, column: 1, found: `${source.length} characters` });
    expect(() => parseFlowExpression(`${' '.repeat(MAX_SOURCE_LENGTH - 7)}Op1Op()`)).not.toThrow();
  });

  it('unexpected characters', () => {
    expect(parseError('Op1Op() & Op2Op()')).toMatchObject({ column: 9, found: '&' });
    expect(parseError('Op1Op() > Op2Op()')).toMatchObject({ column: 9, expected: "'>>'", found: '>' });
    expect(parseError('Op1Op()\u00a0')).toMatchObject({ column: 8, found: 'U+00A0' });
  });

  it('keywords are not names', () => {
    expect(parseError('None >> Op1Op()')).toMatchObject({ column: 1, found: 'None' });
    expect(parseError('if = Op1Op()\nOp1Op()').message).toContain("cannot assign to 'if'");
  });

  it('is a FlowllmError with the documented code and a caret excerpt', () => {
    const error = parseError('Op1Op() >>\tOp2Op() )');
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect(error.code).toBe(FLOW_EXPRESSION_ERROR_CODE);
    expect(error.message).toBe(
      "line 1, column 20: expected an operator (>>, | or <<) or the end of the line but found ')'\n" +
        '  Op1Op() >>\tOp2Op() )\n' +
        '            \t        ^',
    );
  });
});

describe('builder errors get a position', () => {
  it('an unknown op from the builder points at the call', () => {
    const program = parseFlowExpression('Op1Op() >> (\n  FooOp())');
    const cause = new Error('placeholder');
    const error = flowError(() => evaluateFlowProgram(program, shapeBuilder(['Op1Op', 'Op2Op'])));
    expect(error).toMatchObject({ line: 2, column: 3, found: 'FooOp' });
    expect(error.message.split('\n')[0]).toBe(
      "line 2, column 3: unknown op 'FooOp'; registered ops: Op1Op, Op2Op",
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).not.toBe(cause);
    expect((error.cause as Error).message).toBe("unknown op 'FooOp'; registered ops: Op1Op, Op2Op");
  });

  it('<< on a sequence points at the << operator', () => {
    const program = parseFlowExpression('Op1Op() >> Op2Op() << Op3Op()');
    const error = flowError(() => evaluateFlowProgram(program, shapeBuilder()));
    expect(error).toMatchObject({ line: 1, column: 20, found: '<<' });
    expect(error.message).toContain('<< needs a single op on its left');
  });

  it('x.ops.key = … on a sequence points at the statement', () => {
    const program = parseFlowExpression('s = Op1Op() >> Op2Op()\ns.ops.k = Op3Op()\ns');
    expect(flowError(() => evaluateFlowProgram(program, shapeBuilder()))).toMatchObject({
      line: 2,
      column: 1,
    });
  });

  it('a non-Error thrown by the builder is still wrapped', () => {
    const builder = {
      ...shapeBuilder(),
      parallel: () => {
        throw 'nope';
      },
    };
    const error = flowError(() => evaluateFlowProgram(parseFlowExpression('A() | B()'), builder));
    expect(error).toMatchObject({ column: 5, found: '|', cause: 'nope' });
    expect(error.message).toContain('nope');
  });
});
