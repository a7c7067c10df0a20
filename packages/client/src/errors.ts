/**
 * Why a request failed: `http` (the server answered non-2xx), `network` (no answer), `truncated` (a stream
 * ended or broke before `data:[DONE]`), `invalid_response` (an answer that is not what the call expects,
 * such as a resumed stream whose event ids skip one), `gone` (a run to resume is unknown, expired or
 * already over: the server answered 204).
 *
 * @example
 * const code: FlowClientErrorCode = 'http';
 */
export type FlowClientErrorCode = 'http' | 'network' | 'truncated' | 'invalid_response' | 'gone';

const MARKER = Symbol.for('@flowllm/client.error');

/**
 * Every failure the client reports, except an abort (which rejects with the signal's reason).
 * On a non-2xx answer, `detail` is the server's JSON `detail` (a string, or FastAPI's list of
 * `{loc, msg, type}` on 422) and `flowId` the failed flow's id when the server sent one.
 *
 * @example
 * try {
 *   await client.runFlow('demo_http_flow', {});
 * } catch (error) {
 *   if (FlowClientError.isInstance(error) && error.status === 422) console.log(error.detail);
 * }
 */
export class FlowClientError extends Error {
  override readonly name = 'FlowClientError';
  readonly code: FlowClientErrorCode;
  /** The HTTP status; 0 when no answer came. */
  readonly status: number;
  /** The server's `detail`, or the raw body text when it was not JSON. */
  readonly detail: unknown;
  /** The `flow_id` the server reported with the failure, if any. */
  readonly flowId: string | undefined;

  constructor(
    code: FlowClientErrorCode,
    message: string,
    init: { status?: number; detail?: unknown; flowId?: string; cause?: unknown } = {},
  ) {
    super(`@flowllm/client: ${message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? 0;
    this.detail = init.detail;
    this.flowId = init.flowId;
    (this as Record<symbol, unknown>)[MARKER] = true;
  }

  /**
   * True for a `FlowClientError`, even one from another copy of this package (where `instanceof` fails).
   *
   * @example
   * if (FlowClientError.isInstance(error)) console.log(error.status, error.detail);
   */
  static isInstance(error: unknown): error is FlowClientError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** A readable one-line form of a server's `detail` (FastAPI's 422 list becomes `body.query: Field required`). */
export function describeDetail(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((issue: { loc?: unknown[]; msg?: string }) =>
        issue && typeof issue.msg === 'string'
          ? `${Array.isArray(issue.loc) ? `${issue.loc.join('.')}: ` : ''}${issue.msg}`
          : JSON.stringify(issue),
      )
      .join('; ');
  }
  return JSON.stringify(detail) ?? String(detail);
}

/** The error of a non-2xx response, with the server's JSON `detail` and `flow_id` when present. */
export async function httpError(response: Response, what: string): Promise<FlowClientError> {
  const text = await response.text().catch(() => '');
  let detail: unknown = text;
  let flowId: string | undefined;
  try {
    const body = JSON.parse(text) as { detail?: unknown; flow_id?: unknown };
    if (body && typeof body === 'object' && 'detail' in body) {
      detail = body.detail;
      if (typeof body.flow_id === 'string' && body.flow_id !== '') flowId = body.flow_id;
    }
  } catch {
    // not JSON: keep the text
  }
  const reason = describeDetail(detail) || response.statusText;
  return new FlowClientError(
    'http',
    `${what} failed with HTTP ${response.status}${reason ? `: ${reason}` : ''}`,
    {
      status: response.status,
      detail,
      flowId,
    },
  );
}
