import { FlowExpressionError } from '../../src/expression/errors.js';
import type { FlowBuilder } from '../../src/expression/evaluate.js';

/** A plain picture of a built flow: one op, or a flattened sequence / parallel. */
export type Shape = OpShape | { seq: Shape[] } | { par: Shape[] };
export interface OpShape {
  op: string;
  kwargs: Record<string, unknown>;
  subOps: Record<string, Shape>;
}

/** Builds a single op's shape (for expected values). */
export function op(
  name: string,
  kwargs: Record<string, unknown> = {},
  subOps: Record<string, Shape> = {},
): OpShape {
  return { op: name, kwargs, subOps };
}

export const seq = (...items: Shape[]): Shape => ({ seq: items });
export const par = (...items: Shape[]): Shape => ({ par: items });

/** FlowLLM flattens: `(a >> b) >> c` and `a >> (b >> c)` are one sequence of three. */
export function flatSequence(left: Shape, right: Shape): Shape {
  const items = (s: Shape): Shape[] => ('seq' in s ? s.seq : [s]);
  return { seq: [...items(left), ...items(right)] };
}

export function flatParallel(left: Shape, right: Shape): Shape {
  const items = (s: Shape): Shape[] => ('par' in s ? s.par : [s]);
  return { par: [...items(left), ...items(right)] };
}

/**
 * The test stand-in for the engine: plain shapes, flattening like FlowLLM, and `<<` only on a single op.
 * With `registered`, unknown op names throw the way the engine's registry will.
 */
export function shapeBuilder(registered?: string[]): FlowBuilder<Shape> {
  return {
    create(name, kwargs) {
      if (registered && !registered.includes(name)) {
        throw new Error(`unknown op '${name}'; registered ops: ${registered.join(', ')}`);
      }
      return op(name, kwargs);
    },
    sequence: flatSequence,
    parallel: flatParallel,
    attach(target, subOps) {
      if (!('op' in target)) throw new Error('<< needs a single op on its left');
      for (const { name, op: sub } of subOps) {
        const key = name ?? ('op' in sub ? sub.op : undefined);
        if (key === undefined) throw new Error('a sub-op without a name must be a single op');
        Object.defineProperty(target.subOps, key, {
          value: sub,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return target;
    },
  };
}

/** Runs `run` and returns the FlowExpressionError it throws; fails on success or any other error. */
export function flowError(run: () => unknown): FlowExpressionError {
  try {
    run();
  } catch (error) {
    if (error instanceof FlowExpressionError) return error;
    throw error;
  }
  throw new Error('expected a FlowExpressionError, but nothing was thrown');
}
