import { describe, expect, it } from 'vitest';
import { FlowAbortedError, FlowTimeoutError, ShutdownError } from '../../src/engine/flow-errors.js';
import { FlowllmError } from '../../src/errors.js';
import { OpFailedError } from '../../src/op/op-errors.js';
import { RunAbandonedError, RunStoppedError } from '../../src/resume/resume-errors.js';
import { endCauseOf, errorType } from '../../src/telemetry/end-cause.js';

describe('endCauseOf: why a run ended, from the error it ended with', () => {
  it.each([
    ['no error', undefined, 'completed'],
    ['a disconnect (FlowAbortedError)', new FlowAbortedError('the client disconnected'), 'client_gone'],
    ['a resumable run nobody resumed', new RunAbandonedError(60), 'client_gone'],
    ['POST …/stop', new RunStoppedError(), 'stopped'],
    ['the flow timeout', new FlowTimeoutError('chat', 30), 'timeout'],
    ['a server shutdown', new ShutdownError('the server is shutting down'), 'shutdown'],
    ['an op failure', new OpFailedError('ChatOp', new Error('boom')), 'error'],
    ['a thrown string', 'boom', 'error'],
  ])('%s → %s', (_what, error, cause) => {
    expect(endCauseOf(error)).toBe(cause);
  });
});

describe('errorType: error.type of a failure', () => {
  it("prefers the deepest FLOWLLM code: a model's code over the op's wrapper", () => {
    const upstream = new FlowllmError('FLOWLLM_MODEL_RATE_LIMITED', 'rate limited');
    expect(errorType(new OpFailedError('ChatOp', upstream))).toBe('FLOWLLM_MODEL_RATE_LIMITED');
  });

  it("falls back to the error's name, then to _OTHER", () => {
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType('boom')).toBe('_OTHER');
  });
});
