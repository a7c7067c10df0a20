import { FlowllmError } from '../errors.js';

/**
 * One item of a 422 answer, FastAPI's shape with pydantic v2: `type, loc, msg, input` in that order;
 * `input` is the offending value (cut short when long), absent only on the `too_many_errors` entry.
 *
 * @example
 * const issue: ValidationIssue = { type: 'missing', loc: ['body', 'query'], msg: 'Field required', input: {} };
 */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

/**
 * A request the service refuses: the status, the JSON `detail` (a message, or a list of validation
 * issues for 422) and any headers to send (e.g. `Allow` for 405).
 *
 * @example
 * throw new HttpError(405, 'Method Not Allowed', { allow: 'POST' });
 */
export class HttpError extends FlowllmError {
  readonly detail: string | ValidationIssue[];
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string | ValidationIssue[], headers: Record<string, string> = {}) {
    super('FLOWLLM_HTTP', typeof detail === 'string' ? detail : issuesMessage(detail), {
      expose: true,
      status,
    });
    this.detail = detail;
    this.headers = headers;
  }
}

function issuesMessage(issues: ValidationIssue[]): string {
  return issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; ');
}

/**
 * 413 for a body over the limit, the same words on every transport.
 *
 * @example
 * bodyTooLarge(1_048_576).status; // 413
 */
export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, `the body is larger than the limit of ${limit} bytes`);
}
