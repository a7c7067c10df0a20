import { FORBIDDEN_KEYS } from '../config/merge.js';
import type { FlowBuilder } from '../expression/evaluate.js';
import type { BaseOp } from '../op/base-op.js';
import { flatten, ParallelOp, SequentialOp } from '../op/composite-ops.js';
import { OpConfigError } from '../op/op-errors.js';
import type { OpRegistry } from '../op/op-registry.js';
import type { FlowResources, ResourceKind } from './resources.js';

const RESOURCE_OPTIONS: ResourceKind[] = ['llm', 'embedding_model', 'vector_store'];

/**
 * Builds real op instances from a flow expression: `>>` and `|` flatten as in FlowLLM, `<<`
 * attaches sub-ops, and a resource named explicitly in kwargs must exist in the config.
 *
 * @example
 * const root = evaluateFlowProgram(program, new OpTreeBuilder(registry, resources));
 */
export class OpTreeBuilder implements FlowBuilder<BaseOp> {
  constructor(
    private readonly registry: OpRegistry,
    private readonly resources: FlowResources,
  ) {}

  create(name: string, kwargs: Record<string, unknown>): BaseOp {
    refuseForbiddenKeys(name, kwargs);
    const op = this.registry.create(name, kwargs);
    for (const kind of RESOURCE_OPTIONS) {
      const wanted = kwargs[kind];
      if (typeof wanted === 'string' && !this.resources.names(kind).includes(wanted)) {
        const known = this.resources.names(kind).join(', ') || 'none';
        throw new OpConfigError(`${name}: ${kind} '${wanted}' is not in the config; configured: ${known}`);
      }
    }
    op.promptTemplates();
    return op;
  }

  // As in Python FlowLLM, a group on the left is extended in place and returned: after `s = A() >> B()`,
  // the statement `s >> C()` makes `s` a sequence of three (and every other use of `s` sees it too).
  sequence(left: BaseOp, right: BaseOp): BaseOp {
    if (left instanceof SequentialOp) {
      left.children.push(...flatten(right, SequentialOp));
      return left;
    }
    return new SequentialOp([left, ...flatten(right, SequentialOp)]);
  }

  parallel(left: BaseOp, right: BaseOp): BaseOp {
    if (left instanceof ParallelOp) {
      left.children.push(...flatten(right, ParallelOp));
      return left;
    }
    return new ParallelOp([left, ...flatten(right, ParallelOp)]);
  }

  attach(target: BaseOp, subOps: { name?: string; op: BaseOp }[]): BaseOp {
    for (const { name, op } of subOps) target.attach(name ?? op.name, op);
    return target;
  }
}

// As in config files: ops copy kwargs into plain objects, where `params.__proto__ = {…}` would set the
// object's prototype. The parser keeps such keys as data; they stop here, at start-up.
function refuseForbiddenKeys(name: string, value: unknown): void {
  const pending = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new OpConfigError(`${name}: the key '${key}' is not allowed in op arguments`);
      pending.push((current as Record<string, unknown>)[key]);
    }
  }
}
