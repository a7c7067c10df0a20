import { describe, expect, it } from 'vitest';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { op, type Shape, seq, shapeBuilder } from './shape-builder.js';

const build = (source: string): Shape => evaluateFlowProgram(parseFlowExpression(source), shapeBuilder());

describe('multi-line programs', () => {
  it('ignores blank lines, comment lines, trailing comments and indentation', () => {
    const source = `
      # build the container first

      op = ContainerOp()   # the container
          op.ops.search = SearchOp()

      # the flow itself
      op >> AnswerOp()
    `;
    expect(build(source)).toEqual(seq(op('ContainerOp', {}, { search: op('SearchOp') }), op('AnswerOp')));
  });

  it('splits statements on \\n, \\r\\n and \\r', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const program = parseFlowExpression(['a = Op1Op()', 'b = Op2Op()', 'a >> b'].join(newline));
      expect(program.statements.map((s) => s.kind)).toEqual(['assign', 'assign']);
      expect(program.result).toMatchObject({ kind: 'binary', pos: { line: 3, column: 3 } });
    }
  });

  it('joins lines inside parentheses, brackets and braces', () => {
    const source = `container = ContainerOp(
      model='qwen',   # comments work here too
      tags=[
        'a',
        'b',
      ],
    )
    container << {
      "search": SearchOp(),

      "find": FindOp(),
    }
    (
      container
      >> Op1Op()
    )`;
    expect(build(source)).toEqual(
      seq(
        op(
          'ContainerOp',
          { model: 'qwen', tags: ['a', 'b'] },
          { search: op('SearchOp'), find: op('FindOp') },
        ),
        op('Op1Op'),
      ),
    );
  });

  it('joins lines ending in a backslash', () => {
    expect(build('Op1Op() >> \\\n  Op2Op()')).toEqual(seq(op('Op1Op'), op('Op2Op')));
  });

  it('records the kind, target and position of every statement', () => {
    const program = parseFlowExpression(
      'op = ContainerOp()\n\nop.ops.search = SearchOp()\nop << [Op1Op()]\nop',
    );
    expect(program.statements).toMatchObject([
      { kind: 'assign', target: 'op', pos: { line: 1, column: 1 } },
      { kind: 'attachOne', target: 'op', key: 'search', pos: { line: 3, column: 1 } },
      { kind: 'expr', expr: { kind: 'binary', op: '<<' }, pos: { line: 4, column: 1 } },
    ]);
    expect(program.result).toEqual({ kind: 'name', name: 'op', pos: { line: 5, column: 1 } });
  });

  it('keeps the source on the program', () => {
    const source = 'Op1Op()\n';
    expect(parseFlowExpression(source).source).toBe(source);
  });

  it('a bare expression statement runs for its effect: << with a list names sub-ops by the builder', () => {
    expect(build('op = ContainerOp()\nop << [Op1Op(), Op2Op()]\nop << Op3Op()\nop')).toEqual(
      op('ContainerOp', {}, { Op1Op: op('Op1Op'), Op2Op: op('Op2Op'), Op3Op: op('Op3Op') }),
    );
  });

  it('a # inside a string is not a comment', () => {
    expect(build('Op1Op(q="# not a comment")  # a comment')).toEqual(op('Op1Op', { q: '# not a comment' }));
  });
});
