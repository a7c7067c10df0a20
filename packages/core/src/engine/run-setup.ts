import { context as otelContext } from '@opentelemetry/api';
import type { FlowStreamChunk } from '../chunk.js';
import type { BaseOp } from '../op/base-op.js';
import { shareSignal } from '../op/shared-signal.js';
import { RunTelemetry } from '../telemetry/run-telemetry.js';
import { type ErrorFormatter, FlowContext } from './context.js';
import { FlowAbortedError } from './flow-errors.js';
import type { FlowResources } from './resources.js';

// FlowLLM's request model: these fields always exist in the context.
export const BASE_FIELDS = (): Record<string, unknown> => ({
  query: '',
  messages: [],
  workspace_id: '',
  metadata: {},
});

/** What one run (sync or stream) of a flow is set up from. */
export interface RunSetup {
  flowName: string;
  flowId: string;
  stream: boolean;
  input: Record<string, unknown>;
  resources: FlowResources;
  controller: AbortController;
  formatError: ErrorFormatter | undefined;
  depth: number | undefined;
  /** Called the first time the flow shows a sign of life (after the run's telemetry hears of it). */
  onOpen: () => void;
  sink?: (chunk: FlowStreamChunk) => Promise<void>;
}

/**
 * The context of one run (its telemetry started, when something listens), and the signal shared by
 * all its ops.
 *
 * @example
 * const context = runContext({ flowName, flowId, stream: false, input, resources, controller, … });
 */
export function runContext(setup: RunSetup): FlowContext {
  const signal = shareSignal(setup.controller.signal);
  const { flowName, flowId, stream, onOpen } = setup;
  const telemetry = RunTelemetry.start(setup.resources.telemetry, { flowName, flowId, stream, signal });
  return new FlowContext({
    flowId,
    stream,
    signal,
    resources: setup.resources,
    input: { ...BASE_FIELDS(), ...setup.input },
    sink: setup.sink,
    formatError: setup.formatError,
    onOpen: telemetry
      ? () => {
          telemetry.open();
          onOpen();
        }
      : onOpen,
    depth: setup.depth,
    telemetry,
  });
}

/** Runs the op tree on its context, inside the run's span when telemetry is on. */
export function runOps(root: BaseOp, context: FlowContext): Promise<void> {
  const telemetry = context.telemetry;
  // The ops run inside the run's span, so spans of the app's own code inside them nest there too.
  if (!telemetry) return root.run(context, context.signal);
  return otelContext.with(telemetry.root.otelContext, () => root.run(context, context.signal));
}

// `abort()` without a reason gives a DOMException; flows fail with our own error type instead.
export function abortReason(reason: unknown): unknown {
  if (reason === undefined || (reason instanceof Error && reason.name === 'AbortError'))
    return new FlowAbortedError();
  return reason;
}
