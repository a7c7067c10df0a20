import { errorMessage, FlowllmError } from '../errors.js';

/**
 * An op's execution failed after its retries; `cause` holds the original error, and its `status` and
 * `expose` carry over (a model's 502 stays a 502). Code `FLOWLLM_OP_FAILED`.
 *
 * @example
 * try {
 *   await app.run('chat', { query: 'hi' });
 * } catch (error) {
 *   if (error instanceof OpFailedError) console.error(error.opName, error.cause);
 * }
 */
export class OpFailedError extends FlowllmError {
  readonly opName: string;

  constructor(opName: string, cause: unknown) {
    // Shown and mapped like its cause: a model's 502 stays a 502.
    const inner = FlowllmError.isInstance(cause) ? cause : undefined;
    super('FLOWLLM_OP_FAILED', `${opName} failed: ${errorMessage(cause)}`, {
      cause,
      expose: inner?.expose,
      status: inner?.status,
    });
    this.opName = opName;
  }
}

/**
 * An op was built with options it cannot take (wrong type, unknown resource, bad sub-op). Code
 * `FLOWLLM_OP_CONFIG`; it surfaces at start-up, when the flows are built.
 *
 * @example
 * // flow_content: ChatOp(max_retries="two")
 * // → OpConfigError: ChatOp: option 'max_retries' expects integer, found string
 */
export class OpConfigError extends FlowllmError {
  constructor(message: string) {
    super('FLOWLLM_OP_CONFIG', message);
  }
}
