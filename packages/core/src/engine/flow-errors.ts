import { FlowllmError, type FlowllmErrorOptions } from '../errors.js';

/** The flow was stopped from outside: the client left, or the caller aborted its signal. */
export class FlowAbortedError extends FlowllmError {
  constructor(message = 'the flow was aborted', options: FlowllmErrorOptions = {}) {
    super('FLOWLLM_ABORTED', message, options);
  }
}

/** The flow ran longer than its `timeout`. */
export class FlowTimeoutError extends FlowllmError {
  constructor(flowName: string, seconds: number) {
    super('FLOWLLM_TIMEOUT', `flow '${flowName}' timed out after ${seconds}s`, { expose: true, status: 504 });
  }
}
