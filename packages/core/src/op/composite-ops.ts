import type { FlowContext } from '../engine/context.js';
import type { TelemetrySpan } from '../telemetry/telemetry-span.js';
import { BaseOp } from './base-op.js';
import { OpConfigError } from './op-errors.js';
import { shareSignal } from './shared-signal.js';

/** A group built by `>>` or `|`: it runs its children and cannot take sub-ops. */
abstract class CompositeOp extends BaseOp {
  protected abstract readonly operator: string;

  constructor(readonly children: BaseOp[]) {
    super();
  }

  execute(): void {}

  override copy(): this {
    const ctor = this.constructor as new (children: BaseOp[]) => this;
    return new ctor(this.children.map((child) => child.copy()));
  }

  override attach(): void {
    throw new OpConfigError(`<< needs a single op on its left, not a group built with ${this.operator}`);
  }
}

/**
 * `a >> b >> c`: runs its ops one after another on the same context. Built by the expression parser;
 * an op that has not started never starts once the flow is aborted.
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> StreamChatOp()   → a SequentialOp of two ops
 */
export class SequentialOp extends CompositeOp {
  protected readonly operator = '>>';

  override async run(
    context: FlowContext,
    signal: AbortSignal = context.signal,
    parent?: TelemetrySpan,
  ): Promise<void> {
    for (const child of this.children) {
      // An op not yet started never starts once the flow is aborted.
      signal.throwIfAborted();
      await child.run(context, signal, parent);
    }
  }
}

/**
 * `a | b`: runs its ops concurrently on the same context. The first failure aborts the siblings
 * (they see their signal fire) and, once all have settled, is rethrown.
 *
 * @example
 * // flow_content: SearchOp() | FetchProfileOp()   → a ParallelOp: both run at once
 */
export class ParallelOp extends CompositeOp {
  protected readonly operator = '|';

  override async run(
    context: FlowContext,
    signal: AbortSignal = context.signal,
    parent?: TelemetrySpan,
  ): Promise<void> {
    signal.throwIfAborted();
    const siblings = new AbortController();
    const group = shareSignal(AbortSignal.any([signal, siblings.signal]));
    await Promise.allSettled(
      this.children.map((child) =>
        child.run(context, group, parent).catch((error: unknown) => {
          if (!siblings.signal.aborted) siblings.abort(error);
        }),
      ),
    );
    signal.throwIfAborted();
    if (siblings.signal.aborted) throw siblings.signal.reason;
  }
}

/** The op list of a group of this kind, or the op itself: `>>` and `|` flatten like FlowLLM's. */
export function flatten(op: BaseOp, kind: typeof SequentialOp | typeof ParallelOp): BaseOp[] {
  return op instanceof kind ? op.children : [op];
}
