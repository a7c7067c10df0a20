import { FlowAbortedError } from '../engine/flow-errors.js';
import { FlowllmError } from '../errors.js';

/**
 * A run was stopped through `POST /{flow}/runs/{flow_id}/stop`; readers see its message in the final
 * error chunk.
 *
 * @example
 * stream.cancel(new RunStoppedError());
 */
export class RunStoppedError extends FlowAbortedError {
  override readonly runEndCause = 'stopped' as const;

  constructor() {
    super('the run was stopped', { expose: true });
  }
}

/**
 * A run had no reader for `resume.detach_seconds` and was aborted (its model request closed).
 *
 * @example
 * stream.cancel(new RunAbandonedError(60));
 */
export class RunAbandonedError extends FlowAbortedError {
  constructor(seconds: number) {
    super(`the run was aborted: no reader resumed it within ${seconds} s`, { expose: true });
  }
}

/**
 * The resume store cannot answer (Redis down): the run routes answer 503 with `Retry-After`. Code
 * `FLOWLLM_RESUME_STORE`.
 *
 * @example
 * if (!log.available) throw new ResumeStoreError('redis');
 */
export class ResumeStoreError extends FlowllmError {
  constructor(kind: string) {
    super('FLOWLLM_RESUME_STORE', `the resume store (${kind}) is unavailable; retry shortly`, {
      expose: true,
      status: 503,
    });
  }
}
