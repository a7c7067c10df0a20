import { errorMessage, FlowllmError } from '../errors.js';

/** An op's execution failed after its retries; `cause` holds the original error. */
export class OpFailedError extends FlowllmError {
  readonly opName: string;

  constructor(opName: string, cause: unknown) {
    super('FLOWLLM_OP_FAILED', `${opName} failed: ${errorMessage(cause)}`, { cause });
    this.opName = opName;
  }
}

/** An op was built with options it cannot take (wrong type, unknown resource, bad sub-op). */
export class OpConfigError extends FlowllmError {
  constructor(message: string) {
    super('FLOWLLM_OP_CONFIG', message);
  }
}
