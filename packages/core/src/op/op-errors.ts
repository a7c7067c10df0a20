import { errorMessage, FlowllmError } from '../errors.js';

/** An op's execution failed after its retries; `cause` holds the original error. */
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

/** An op was built with options it cannot take (wrong type, unknown resource, bad sub-op). */
export class OpConfigError extends FlowllmError {
  constructor(message: string) {
    super('FLOWLLM_OP_CONFIG', message);
  }
}
