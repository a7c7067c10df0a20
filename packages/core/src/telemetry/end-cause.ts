import { FlowllmError } from '../errors.js';

/**
 * Why a run (or one of its spans) ended: `completed`, `error`, `client_gone` (the HTTP client left or
 * the caller aborted its signal), `stopped` (`POST …/runs/{id}/stop`), `timeout` (the flow's
 * `timeout`), `shutdown` (the server is closing).
 *
 * @example
 * const cause: RunEndCause = 'client_gone';
 */
export type RunEndCause = 'completed' | 'error' | 'client_gone' | 'stopped' | 'timeout' | 'shutdown';

const CAUSES: ReadonlySet<string> = new Set([
  'completed',
  'error',
  'client_gone',
  'stopped',
  'timeout',
  'shutdown',
]);

/**
 * The end cause an error stands for: the engine's abort errors name theirs in `runEndCause`
 * (`FlowAbortedError` → `client_gone`, `FlowTimeoutError` → `timeout`…); anything else is an `error`.
 *
 * @example
 * endCauseOf(undefined); // 'completed'
 * endCauseOf(new FlowTimeoutError('chat', 30)); // 'timeout'
 */
export function endCauseOf(error: unknown): RunEndCause {
  if (error === undefined) return 'completed';
  const cause = (error as { runEndCause?: unknown } | null)?.runEndCause;
  return typeof cause === 'string' && CAUSES.has(cause) ? (cause as RunEndCause) : 'error';
}

/**
 * `error.type` of a failure: the deepest `FLOWLLM_*` code along its causes (an op failure's model
 * error says more than `FLOWLLM_OP_FAILED`), else the error's name, else `_OTHER` as the conventions say.
 *
 * @example
 * errorType(new OpFailedError('ChatOp', upstreamError)); // 'FLOWLLM_MODEL_RATE_LIMITED'
 */
export function errorType(error: unknown): string {
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (FlowllmError.isInstance(current)) found = current.code;
    current = (current as { cause?: unknown }).cause;
  }
  if (found) return found;
  return error instanceof Error ? error.name : '_OTHER';
}
