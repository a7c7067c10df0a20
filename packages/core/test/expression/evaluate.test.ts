import { describe, expect, it } from 'vitest';
import type { FlowProgram } from '../../src/expression/ast.js';
import { evaluateFlowProgram, type FlowBuilder } from '../../src/expression/evaluate.js';
import { opNamesIn } from '../../src/expression/op-names.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { flowError, type OpShape, type Shape, shapeBuilder } from './shape-builder.js';

/** Records every builder call as text, in order. */
function tracingBuilder(): { builder: FlowBuilder<string>; calls: string[] } {
  const calls: string[] = [];
  const builder: FlowBuilder<string> = {
    create: (name, kwargs) => {
      calls.push(`create ${name} ${JSON.stringify(kwargs)}`);
      return name;
    },
    sequence: (l, r) => {
      calls.push(`sequence ${l} ${r}`);
      return `(${l}>>${r})`;
    },
    parallel: (l, r) => {
      calls.push(`parallel ${l} ${r}`);
      return `(${l}|${r})`;
    },
    attach: (target, subOps) => {
      calls.push(`attach ${target} ${subOps.map((s) => `${s.name ?? '-'}=${s.op}`).join(',')}`);
      return target;
    },
  };
  return { builder, calls };
}

/** Counts ops without building anything, for inputs too large for the shape builder. */
const countingBuilder: FlowBuilder<number> = {
  create: () => 1,
  sequence: (l, r) => l + r,
  parallel: (l, r) => l + r,
  attach: (target) => target,
};

describe('evaluateFlowProgram', () => {
  it('calls the builder left to right, as Python evaluates', () => {
    const { builder, calls } = tracingBuilder();
    const result = evaluateFlowProgram(
      parseFlowExpression('A(x=1) >> B() | C() << {"s": D(), "t": E()}'),
      builder,
    );
    expect(result).toBe('((A>>B)|C)');
    expect(calls).toEqual([
      'create A {"x":1}',
      'create B {}',
      'sequence A B',
      'create C {}',
      'create D {}',
      'create E {}',
      'attach C s=D,t=E',
      'parallel (A>>B) C',
    ]);
  });

  it('passes unnamed entries for << with a list or a single op, named ones for x.ops.key', () => {
    const { builder, calls } = tracingBuilder();
    evaluateFlowProgram(parseFlowExpression('c = C()\nc << [A(), B()]\nc << D()\nc.ops.k = E()\nc'), builder);
    expect(calls.filter((c) => c.startsWith('attach'))).toEqual([
      'attach C -=A,-=B',
      'attach C -=D',
      'attach C k=E',
    ]);
  });

  it('a variable used twice is the same built value, created once', () => {
    const { builder, calls } = tracingBuilder();
    evaluateFlowProgram(parseFlowExpression('a = A()\na >> a'), builder);
    expect(calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
    const shape = evaluateFlowProgram(parseFlowExpression('a = A()\na | a'), shapeBuilder()) as {
      par: Shape[];
    };
    expect(shape.par[0]).toBe(shape.par[1]);
  });

  it('each op call creates a new instance, even with the same name', () => {
    const shape = evaluateFlowProgram(parseFlowExpression('A() | A()'), shapeBuilder()) as { par: OpShape[] };
    expect(shape.par[0]).toEqual(shape.par[1]);
    expect(shape.par[0]).not.toBe(shape.par[1]);
  });

  it('the result of << is what attach returns', () => {
    const builder = { ...countingBuilder, attach: () => 42 };
    expect(evaluateFlowProgram(parseFlowExpression('A() << B()'), builder)).toBe(42);
  });

  it('evaluates a 19 000-op chain without overflowing the stack', () => {
    const ops = 19_000;
    const source = `${'A()>>'.repeat(ops - 1)}A()`;
    const program = parseFlowExpression(source);
    expect(evaluateFlowProgram(program, countingBuilder)).toBe(ops);
    expect(opNamesIn(program)).toHaveLength(ops);
    const parallel = parseFlowExpression(`${'A()|'.repeat(ops - 1)}A()`);
    expect(evaluateFlowProgram(parallel, countingBuilder)).toBe(ops);
  });

  it('rejects a hand-built program that uses an unknown name or a dict outside <<', () => {
    const pos = { line: 1, column: 1 };
    const unknown: FlowProgram = { statements: [], result: { kind: 'name', name: 'x', pos }, source: 'x' };
    expect(flowError(() => evaluateFlowProgram(unknown, countingBuilder)).message).toContain(
      "name 'x' is not defined",
    );
    const dict: FlowProgram = { statements: [], result: { kind: 'dict', entries: [], pos }, source: '{}' };
    expect(flowError(() => evaluateFlowProgram(dict, countingBuilder)).message).toContain(
      'a dict of ops is only allowed on the right of <<',
    );
  });
});

describe('opNamesIn', () => {
  it('lists every op call in source order with its position, statements included', () => {
    const program = parseFlowExpression(
      'op = ContainerOp()\nop.ops.search = SearchOp(llm="x")\nop << {"a": AOp(), "b": BOp() << [COp()] | DOp()}\n(op | EOp()) >> FOp()',
    );
    const none: { name: string; value: unknown }[] = [];
    expect(opNamesIn(program)).toEqual([
      { name: 'ContainerOp', pos: { line: 1, column: 6 }, kwargs: none },
      { name: 'SearchOp', pos: { line: 2, column: 17 }, kwargs: [{ name: 'llm', value: 'x' }] },
      { name: 'AOp', pos: { line: 3, column: 13 }, kwargs: none },
      { name: 'BOp', pos: { line: 3, column: 25 }, kwargs: none },
      { name: 'COp', pos: { line: 3, column: 35 }, kwargs: none },
      { name: 'DOp', pos: { line: 3, column: 44 }, kwargs: none },
      { name: 'EOp', pos: { line: 4, column: 7 }, kwargs: none },
      { name: 'FOp', pos: { line: 4, column: 17 }, kwargs: none },
    ]);
  });
});
