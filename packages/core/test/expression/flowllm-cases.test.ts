import { describe, expect, it } from 'vitest';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { op, par, type Shape, seq, shapeBuilder } from './shape-builder.js';

const build = (source: string): Shape => evaluateFlowProgram(parseFlowExpression(source), shapeBuilder());

// The seven flow_content examples from FlowLLM 0.2's expression tests.
describe('FlowLLM flow expression cases', () => {
  it('case 1: a >> chain is one sequence of three', () => {
    expect(build('Op1Op() >> Op2Op() >> Op3Op()')).toEqual(seq(op('Op1Op'), op('Op2Op'), op('Op3Op')));
  });

  it('case 2: | makes a parallel of two', () => {
    expect(build('Op1Op() | Op2Op()')).toEqual(par(op('Op1Op'), op('Op2Op')));
  });

  it('case 3: a parenthesised parallel sits inside a sequence', () => {
    expect(build('Op1Op() >> (Op2Op() | Op3Op()) >> Op1Op()')).toEqual(
      seq(op('Op1Op'), par(op('Op2Op'), op('Op3Op')), op('Op1Op')),
    );
  });

  it('case 4: statements run, then the last line yields an unrelated sequence', () => {
    const source = [
      'op = ContainerOp()',
      'op.ops.search = SearchOp()',
      'op.ops.find = FindOp()',
      'Op1Op() >> Op2Op() >> Op3Op()',
    ].join('\n');
    expect(build(source)).toEqual(seq(op('Op1Op'), op('Op2Op'), op('Op3Op')));
  });

  it('case 5: x.ops.key = … attaches named sub-ops to the container', () => {
    const source = ['op = ContainerOp()', 'op.ops.search = SearchOp()', 'op.ops.find = FindOp()', 'op'].join(
      '\n',
    );
    const result = build(source);
    expect(result).toEqual(op('ContainerOp', {}, { search: op('SearchOp'), find: op('FindOp') }));
    expect(Object.keys((result as { subOps: object }).subOps)).toEqual(['search', 'find']);
  });

  it('case 6: a variable can be reassigned from itself', () => {
    expect(build('opx = Op1Op() >> Op2Op()\nopx = opx >> Op3Op()\nopx')).toEqual(
      seq(op('Op1Op'), op('Op2Op'), op('Op3Op')),
    );
  });

  it('case 7: << with a dict, then the same container used twice in one expression', () => {
    const source = [
      'op = ContainerOp()',
      'op << {"search": Op1Op(), "find": Op2Op()}',
      '(op | Op2Op()) >> (Op1Op() | Op3Op()) >> op',
    ].join('\n');
    const result = build(source);
    const container = op('ContainerOp', {}, { search: op('Op1Op'), find: op('Op2Op') });
    expect(result).toEqual(seq(par(container, op('Op2Op')), par(op('Op1Op'), op('Op3Op')), container));
    const steps = (result as { seq: Shape[] }).seq;
    const first = (steps[0] as { par: Shape[] }).par[0];
    expect(first).toBe(steps[2]);
  });
});
