import { FlowllmError, type FlowllmErrorOptions } from '../errors.js';
import type { RunEndCause } from '../telemetry/end-cause.js';

/**
 * The flow was stopped from outside: the client left, or the caller aborted its signal. Code
 * `FLOWLLM_ABORTED`.
 *
 * @example
 * try {
 *   await app.run('chat', { query: 'hi' }, { signal: AbortSignal.timeout(10) });
 * } catch (error) {
 *   if (error instanceof FlowAbortedError) console.log('stopped:', error.message);
 * }
 */
export class FlowAbortedError extends FlowllmError {
  /** Why the run ended, as telemetry reports it (`flowllm.run.end_cause`); subclasses name theirs. */
  readonly runEndCause: RunEndCause = 'client_gone';

  constructor(message = 'the flow was aborted', options: FlowllmErrorOptions = {}) {
    super('FLOWLLM_ABORTED', message, options);
  }
}

/**
 * The flow ran longer than its `timeout` (config `flow.<name>.timeout`). Code `FLOWLLM_TIMEOUT`, HTTP
 * status 504, and its message is shown to clients.
 *
 * @example
 * const error = new FlowTimeoutError('chat', 30);
 * error.message; // "flow 'chat' timed out after 30s"
 */
export class FlowTimeoutError extends FlowllmError {
  readonly runEndCause: RunEndCause = 'timeout';

  constructor(flowName: string, seconds: number) {
    super('FLOWLLM_TIMEOUT', `flow '${flowName}' timed out after ${seconds}s`, { expose: true, status: 504 });
  }
}

/**
 * The server is shutting down: its open streams end with this (503 for a response not yet started).
 *
 * @example
 * stream.cancel(new ShutdownError('the server is shutting down'));
 */
export class ShutdownError extends FlowAbortedError {
  override readonly runEndCause: RunEndCause = 'shutdown';

  constructor(reason: string) {
    super(reason, { expose: true, status: 503 });
  }
}
