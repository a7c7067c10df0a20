import { errorMessage, FlowllmError } from '../errors.js';

/**
 * The text clients see of a failure that was not meant for them (unless `http.expose_errors` is on).
 *
 * @example
 * clientMessage(new Error('db password wrong'), false) === MASKED_ERROR; // true
 */
export const MASKED_ERROR = 'The flow failed. The server log has the details (look up the flow_id).';

/**
 * The message a client may see: the error's own when it is safe (`expose`, e.g. a timeout, a model
 * failure naming provider, model, HTTP status and error code, a validation problem) or when
 * `exposeErrors` is on; otherwise a fixed text. A `FlowllmError`'s `logDetail` (a provider's own
 * message, which may echo the prompt) is never part of it.
 *
 * @example
 * clientMessage(new Error('db password wrong'), false) // MASKED_ERROR
 */
export function clientMessage(error: unknown, exposeErrors: boolean): string {
  if (exposeErrors || (FlowllmError.isInstance(error) && error.expose)) return errorMessage(error);
  return MASKED_ERROR;
}

/**
 * The HTTP status of a failure that happened before the response started: the error's `status`
 * (a {@link FlowllmError}'s), else 500.
 *
 * @example
 * errorStatus(new FlowTimeoutError('chat', 30)); // 504
 * errorStatus(new Error('bug')); // 500
 */
export function errorStatus(error: unknown): number {
  return (FlowllmError.isInstance(error) && error.status) || 500;
}
