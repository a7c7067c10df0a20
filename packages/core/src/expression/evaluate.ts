import { errorMessage } from '../errors.js';
import type { FlowExpr, FlowProgram, Literal, SourcePosition } from './ast.js';
import { FlowExpressionError } from './errors.js';
import { defineEntry } from './parse-literal.js';
import type { SourceProblem } from './source-cursor.js';

// Re-exported so engine code can import the program type next to the function that runs it.
export type { FlowProgram } from './ast.js';

/**
 * How evaluation builds values; the engine implements it with real op instances.
 *
 * @example
 * const names: FlowBuilder<string> = {
 *   create: (name) => name,
 *   sequence: (a, b) => `${a} >> ${b}`,
 *   parallel: (a, b) => `(${a} | ${b})`,
 *   attach: (target) => target,
 * };
 */
export interface FlowBuilder<T> {
  create(name: string, kwargs: Record<string, unknown>): T;
  /** `left >> right` */
  sequence(left: T, right: T): T;
  /** `left | right` */
  parallel(left: T, right: T): T;
  /** `target << subOps`: `name` is set for dict entries and `x.ops.name = …`; returns the target. */
  attach(target: T, subOps: { name?: string; op: T }[]): T;
}

/**
 * Runs a parsed program: statements in order with one variable scope (so a name used twice is
 * the same T), then returns what the last line yields. Anything a builder method throws comes
 * back as a {@link FlowExpressionError} at that node, with the original as `cause`.
 *
 * @example
 * evaluateFlowProgram(parseFlowExpression('A() >> B()'), names); // 'A >> B'
 */
export function evaluateFlowProgram<T>(program: FlowProgram, builder: FlowBuilder<T>): T {
  const evaluator = new Evaluator(builder, program.source);
  for (const statement of program.statements) {
    if (statement.kind === 'assign') {
      evaluator.scope.set(statement.target, evaluator.evaluate(statement.value));
    } else if (statement.kind === 'attachOne') {
      const target = evaluator.lookup(statement.target, statement.pos);
      const op = evaluator.evaluate(statement.value);
      const subOps = [{ name: statement.key, op }];
      evaluator.build(statement.pos, statement.target, () => builder.attach(target, subOps));
    } else {
      evaluator.evaluate(statement.expr);
    }
  }
  return evaluator.evaluate(program.result);
}

class Evaluator<T> {
  readonly scope = new Map<string, T>();

  constructor(
    private readonly builder: FlowBuilder<T>,
    private readonly source: string,
  ) {}

  /**
   * Walks the left spine in a loop: `A() >> B() >> …` nests to the left once per operator, so
   * recursing there could overflow the stack; right operands nest only through brackets.
   */
  evaluate(node: FlowExpr): T {
    const spine: Extract<FlowExpr, { kind: 'binary' }>[] = [];
    let leftmost = node;
    while (leftmost.kind === 'binary') {
      spine.push(leftmost);
      leftmost = leftmost.left;
    }
    let value = this.evaluateOperand(leftmost);
    for (let i = spine.length - 1; i >= 0; i--) {
      const binary = spine[i]!;
      const left = value;
      if (binary.op === '<<') {
        const subOps = this.subOps(binary.right);
        value = this.build(binary.pos, '<<', () => this.builder.attach(left, subOps));
      } else {
        const right = this.evaluate(binary.right);
        value =
          binary.op === '>>'
            ? this.build(binary.pos, '>>', () => this.builder.sequence(left, right))
            : this.build(binary.pos, '|', () => this.builder.parallel(left, right));
      }
    }
    return value;
  }

  lookup(name: string, pos: SourcePosition): T {
    if (!this.scope.has(name)) {
      this.fail(pos, {
        expected: 'a name assigned on an earlier line',
        found: name,
        reason: `name '${name}' is not defined`,
      });
    }
    return this.scope.get(name) as T;
  }

  /** Calls a builder method, re-throwing whatever it throws at `pos`. */
  build(pos: SourcePosition, found: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof FlowExpressionError) throw error;
      throw new FlowExpressionError({
        position: pos,
        expected: 'an expression the flow builder accepts',
        found,
        reason: errorMessage(error),
        source: this.source,
        cause: error,
      });
    }
  }

  private evaluateOperand(node: Exclude<FlowExpr, { kind: 'binary' }>): T {
    if (node.kind === 'call') {
      const kwargs: Record<string, unknown> = {};
      for (const { name, value } of node.kwargs) defineEntry(kwargs, name, cloneLiteral(value));
      return this.build(node.pos, node.name, () => this.builder.create(node.name, kwargs));
    }
    if (node.kind === 'name') return this.lookup(node.name, node.pos);
    const what = node.kind === 'dict' ? 'a dict of ops' : 'a list of ops';
    return this.fail(node.pos, {
      expected: 'an op call like `ChatOp()`, a name or `(`',
      found: node.kind === 'dict' ? '{' : '[',
      reason: `${what} is only allowed on the right of <<`,
    });
  }

  private subOps(node: FlowExpr): { name?: string; op: T }[] {
    if (node.kind === 'dict') {
      return node.entries.map(({ key, value }) => ({ name: key, op: this.evaluate(value) }));
    }
    if (node.kind === 'list') return node.items.map((item) => ({ op: this.evaluate(item) }));
    return [{ op: this.evaluate(node) }];
  }

  private fail(position: SourcePosition, { expected, found, reason }: Required<SourceProblem>): never {
    throw new FlowExpressionError({ position, expected, found, reason, source: this.source });
  }
}

/** A fresh copy per `create` call, so a builder that mutates its kwargs cannot change the program. */
function cloneLiteral(value: Literal): unknown {
  if (Array.isArray(value)) return value.map(cloneLiteral);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) defineEntry(copy, key, cloneLiteral(item));
  return copy;
}
