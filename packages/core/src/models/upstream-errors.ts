import type { FlowllmErrorCode } from '../error-codes.js';
import { FlowllmError } from '../errors.js';
import {
  causeCode,
  causeText,
  ErrorInsteadOfResult,
  providerCode,
  providerMessage,
  redact,
  retryAfterMs,
  type SdkError,
} from './upstream-details.js';

/** Who is being called, for error messages; `keyHint` says where the key comes from. */
export interface UpstreamLabel {
  provider: string;
  model: string;
  apiKey?: string;
  /** e.g. "FLOW_LLM_API_KEY or the entry's api_key". */
  keyHint: string;
  /** The configured `timeout`, in seconds. */
  timeout: number;
}

/** Where a call was when it failed. */
export interface CallState {
  /** The upstream answered with a success status (the stream is open). */
  opened: boolean;
  /** Events received on the open stream. */
  events: number;
  /** Our own timeout fired (no answer, or no event, within `timeout`). */
  timedOut: boolean;
}

/** A failed upstream call, classified: can it be retried, what clients read, and what the log gets. */
export interface Failure {
  code: FlowllmErrorCode;
  status: 502 | 504;
  retryable: boolean;
  /** The provider's `retry-after` (or `retry-after-ms`), in ms. */
  retryAfterMs?: number;
  /** What went wrong, e.g. "rate limited (HTTP 429)". */
  summary: string;
  /** The provider's error code (`invalid_api_key`, `overloaded_error`) or a system one (`ECONNREFUSED`). */
  errorCode?: string;
  /** For the log only: the provider's own message, or the error chain (it may echo the request). */
  detail?: string;
}

/**
 * Classifies an error thrown by the openai or @anthropic-ai/sdk client (HTTP status, connection
 * failure, stream cut, malformed data, in-stream error event) or by our own timeout.
 *
 * @example
 * const failure = classifyFailure(error, { opened: false, events: 0, timedOut: false });
 */
export function classifyFailure(error: unknown, state: CallState, label: UpstreamLabel): Failure {
  const sdk = error as SdkError;
  if (state.timedOut) {
    const summary = state.opened
      ? `the stream stalled: no data for ${label.timeout} s (timeout)`
      : `no answer within ${label.timeout} s (timeout)`;
    return { code: 'FLOWLLM_MODEL_TIMEOUT', status: 504, retryable: true, summary };
  }
  if (error instanceof ErrorInsteadOfResult) {
    return {
      code: 'FLOWLLM_MODEL_STREAM',
      status: 502,
      retryable: true,
      summary: `the provider answered with an error instead of ${error.expected}`,
      errorCode: error.code,
      detail: error.detail,
    };
  }
  const detail = providerMessage(sdk);
  const errorCode = providerCode(sdk);
  if (typeof sdk?.status === 'number') return statusFailure(sdk.status, sdk, { detail, errorCode }, label);
  if (error instanceof SyntaxError) {
    return {
      code: 'FLOWLLM_MODEL_STREAM',
      status: 502,
      retryable: false,
      summary: `the provider sent malformed stream data (not JSON) after ${state.events} events`,
      detail,
    };
  }
  if (sdk?.error && typeof sdk.error === 'object') {
    return {
      code: 'FLOWLLM_MODEL_STREAM',
      status: 502,
      retryable: true,
      summary: 'the provider reported an error in the stream',
      errorCode,
      detail,
    };
  }
  if (/timed? ?out/i.test(String(sdk?.message))) {
    return {
      code: 'FLOWLLM_MODEL_TIMEOUT',
      status: 504,
      retryable: true,
      summary: 'the connection timed out',
    };
  }
  if (!state.opened) {
    return {
      code: 'FLOWLLM_MODEL_UNREACHABLE',
      status: 502,
      retryable: true,
      summary: 'could not connect to the provider',
      errorCode: causeCode(error),
      detail: causeText(error),
    };
  }
  return {
    code: 'FLOWLLM_MODEL_STREAM',
    status: 502,
    retryable: true,
    summary: `the stream broke off after ${state.events} events`,
    errorCode: causeCode(error),
    detail: causeText(error),
  };
}

function statusFailure(
  status: number,
  error: SdkError,
  said: Pick<Failure, 'detail' | 'errorCode'>,
  label: UpstreamLabel,
): Failure {
  const base = { status: 502 as const, ...said, retryAfterMs: retryAfterMs(error.headers) };
  if (status === 401) {
    return {
      ...base,
      code: 'FLOWLLM_MODEL_AUTH',
      retryable: false,
      summary: `the API key was refused (HTTP 401); check ${label.keyHint}`,
    };
  }
  if (status === 403) {
    return {
      ...base,
      code: 'FLOWLLM_MODEL_AUTH',
      retryable: false,
      summary: 'access denied (HTTP 403); check the API key and its permissions',
    };
  }
  if (status === 404) {
    return {
      ...base,
      code: 'FLOWLLM_MODEL_NOT_FOUND',
      retryable: false,
      summary: `not found (HTTP 404); check the model name '${label.model}' and base_url`,
    };
  }
  if (status === 429)
    return {
      ...base,
      code: 'FLOWLLM_MODEL_RATE_LIMITED',
      retryable: true,
      summary: 'rate limited (HTTP 429)',
    };
  if (status === 408 || status === 409 || status >= 500) {
    return {
      ...base,
      code: 'FLOWLLM_MODEL_UNAVAILABLE',
      retryable: true,
      summary: `the provider failed (HTTP ${status})`,
    };
  }
  return {
    ...base,
    code: 'FLOWLLM_MODEL_REQUEST',
    retryable: false,
    summary: `the provider refused the request (HTTP ${status})`,
  };
}

/**
 * The error users see: provider, model, what went wrong (with the HTTP status) and the provider's
 * error code — never the provider's message, which may echo the prompt. That message goes to
 * `logDetail`, for the server log. The API key is removed from both. `expose: true`: safe to show
 * to clients.
 *
 * @example
 * throw failureError(failure, label, { attempts: 3, cause: error });
 */
export function failureError(
  failure: Failure,
  label: UpstreamLabel,
  options: { attempts: number; cause?: unknown; note?: string },
): FlowllmError {
  const tries = options.attempts > 1 ? `; gave up after ${options.attempts} attempts` : '';
  const note = options.note ? `; ${options.note}` : '';
  const code = failure.errorCode ? ` (error code: ${failure.errorCode})` : '';
  const message = `${label.provider} model ${label.model}: ${failure.summary}${tries}${note}${code}`;
  return new FlowllmError(failure.code, redact(message, label.apiKey), {
    cause: options.cause,
    expose: true,
    status: failure.status,
    logDetail: failure.detail ? redact(failure.detail, label.apiKey) : undefined,
  });
}
