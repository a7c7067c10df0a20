import { describe, expect, it } from 'vitest';
import type { FlowExpr } from '../../src/expression/ast.js';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { op, par, seq, shapeBuilder } from './shape-builder.js';

/** Fully parenthesised rendering of the tree, so the test sees exactly how operands grouped. */
function grouped(expr: FlowExpr): string {
  switch (expr.kind) {
    case 'call':
      return expr.name;
    case 'name':
      return expr.name;
    case 'binary':
      return `(${grouped(expr.left)} ${expr.op} ${grouped(expr.right)})`;
    case 'dict':
      return `{${expr.entries.map((e) => `${e.key}: ${grouped(e.value)}`).join(', ')}}`;
    case 'list':
      return `[${expr.items.map(grouped).join(', ')}]`;
  }
}

const groupingOf = (source: string): string => grouped(parseFlowExpression(source).result);

describe('operator precedence and associativity (Python rules)', () => {
  it.each([
    ['A() >> B() | C()', '((A >> B) | C)'],
    ['A() | B() >> C()', '(A | (B >> C))'],
    ['A() << B() >> C()', '((A << B) >> C)'],
    ['A() >> B() << C()', '((A >> B) << C)'],
    ['A() | B() << C()', '(A | (B << C))'],
    ['A() << B() | C()', '((A << B) | C)'],
    ['A() << B() << C()', '((A << B) << C)'],
  ])('%s groups as %s', (source, expected) => {
    expect(groupingOf(source)).toBe(expected);
  });

  it('>> is left-associative', () => {
    expect(groupingOf('A() >> B() >> C() >> D()')).toBe('(((A >> B) >> C) >> D)');
  });

  it('| is left-associative', () => {
    expect(groupingOf('A() | B() | C()')).toBe('((A | B) | C)');
  });

  it('parentheses override precedence and associativity', () => {
    expect(groupingOf('A() >> (B() >> C())')).toBe('(A >> (B >> C))');
    expect(groupingOf('(A() | B()) >> C()')).toBe('((A | B) >> C)');
    expect(groupingOf('A() >> (B() | C()) >> D()')).toBe('((A >> (B | C)) >> D)');
    expect(groupingOf('A() << (B() >> C())')).toBe('(A << (B >> C))');
  });

  it('redundant parentheses leave no trace in the tree', () => {
    expect(groupingOf('((A()))')).toBe('A');
    expect(groupingOf('((A() >> B()))')).toBe('(A >> B)');
  });

  it('a dict or list right of << holds full expressions, | included', () => {
    expect(groupingOf('A() << {"s": B() | C(), "t": D() >> E()} | F()')).toBe(
      '((A << {s: (B | C), t: (D >> E)}) | F)',
    );
    expect(groupingOf('A() << [B(), C() | D()]')).toBe('(A << [B, (C | D)])');
  });

  it('a binary node points at its operator', () => {
    const result = parseFlowExpression('A()  >>  B()').result;
    expect(result).toMatchObject({ kind: 'binary', op: '>>', pos: { line: 1, column: 6 } });
  });

  it('evaluation honours the grouping: (A >> B) | C is a parallel whose first branch is a sequence', () => {
    const shape = evaluateFlowProgram(parseFlowExpression('A() >> B() | C()'), shapeBuilder());
    expect(shape).toEqual(par(seq(op('A'), op('B')), op('C')));
  });

  it('evaluation honours the grouping: A << B >> C attaches B to A, then sequences with C', () => {
    const shape = evaluateFlowProgram(parseFlowExpression('A() << B() >> C()'), shapeBuilder());
    expect(shape).toEqual(seq(op('A', {}, { B: op('B') }), op('C')));
  });

  it('both groupings of a chain flatten into one sequence', () => {
    const left = evaluateFlowProgram(parseFlowExpression('(A() >> B()) >> C()'), shapeBuilder());
    const right = evaluateFlowProgram(parseFlowExpression('A() >> (B() >> C())'), shapeBuilder());
    expect(left).toEqual(seq(op('A'), op('B'), op('C')));
    expect(right).toEqual(left);
  });
});
