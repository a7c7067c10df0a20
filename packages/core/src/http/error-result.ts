import { errorMessage, FlowllmError } from '../errors.js';

/** The text clients see of a failure that was not meant for them. */
export const MASKED_ERROR = 'The flow failed. The server log has the details (look up the flow_id).';

/**
 * The message a client may see: the error's own when it is safe (`expose`, e.g. a timeout, a model
 * provider's answer, a validation problem) or when `exposeErrors` is on; otherwise a fixed text.
 *
 * @example
 * clientMessage(new Error('db password wrong'), false) // MASKED_ERROR
 */
export function clientMessage(error: unknown, exposeErrors: boolean): string {
  if (exposeErrors || (FlowllmError.isInstance(error) && error.expose)) return errorMessage(error);
  return MASKED_ERROR;
}

/** The HTTP status of a failure that happened before the response started. */
export function errorStatus(error: unknown): number {
  return (FlowllmError.isInstance(error) && error.status) || 500;
}
