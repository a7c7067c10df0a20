import { HttpError, type ValidationIssue } from '../http/http-error.js';
import type { ServiceResult } from '../http/service-types.js';
import { openAIErrorBody } from './openai-turn.js';

/**
 * A facade error with OpenAI's fields: `type`, `param` (the request field at fault) and `code`.
 *
 * @example
 * throw new OpenAIError(404, "The model 'x' does not exist", { type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
 */
export class OpenAIError extends HttpError {
  constructor(
    status: number,
    message: string,
    readonly fields: { type: string; param?: string | null; code?: string | null },
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }
}

/**
 * A service's error answer in OpenAI's shape (`{error: {message, type, param, code}}`), so the openai
 * clients raise the right class: 400 `BadRequestError` (a 422 validation answer becomes a 400 naming
 * its first field as `param`), 401, 404, 413, 415, 5xx.
 */
export function openAIErrorResult(
  error: unknown,
  generic: Extract<ServiceResult, { body: string }>,
): ServiceResult {
  const headers: Record<string, string> = { ...generic.headers, 'content-type': 'application/json' };
  const detailed = parsed(generic.body);
  // openai-node names `x-request-id` in its errors: the run's flow_id, to find it in the server's log.
  if (typeof detailed?.flow_id === 'string') headers['x-request-id'] = detailed.flow_id;
  if (error instanceof OpenAIError) {
    const body = openAIErrorBody(error.message, error.fields.type, error.fields);
    return withRetryAdvice({ status: error.status ?? 400, headers, body: JSON.stringify(body) });
  }
  // Everything else was already answered (and logged, masked) the service's way: re-shaped here.
  const detail = detailed?.detail;
  const issues = Array.isArray(detail) ? (detail as ValidationIssue[]) : undefined;
  const status = issues ? 400 : generic.status;
  const message = issues
    ? issues.map((issue) => `${issue.loc.slice(1).join('.') || 'body'}: ${issue.msg}`).join('; ')
    : typeof detail === 'string'
      ? detail
      : 'Internal Server Error';
  const param = issues?.[0] ? issues[0].loc.slice(1).join('.') || null : null;
  const body = openAIErrorBody(message, errorType(status), { param });
  return withRetryAdvice({ status, headers, body: JSON.stringify(body) });
}

/**
 * openai-node retries a 5xx (twice by default): a flow that failed must not run again on its own (an
 * agent's tools may have acted), so a failure says not to; a 503 from a shutdown may be retried.
 */
function withRetryAdvice(result: Extract<ServiceResult, { body: string }>): ServiceResult {
  if (result.status >= 500 && result.status !== 503) result.headers['x-should-retry'] = 'false';
  return result;
}

function parsed(body: string): { detail?: unknown; flow_id?: unknown } | undefined {
  try {
    return JSON.parse(body) as { detail?: unknown; flow_id?: unknown };
  } catch {
    return undefined;
  }
}

/** OpenAI's error `type` for a status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
