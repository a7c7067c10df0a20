import { type Flow, FlowAbortedError, FlowllmError, type ServiceLogger } from '@flowllm/core';
import type { HttpError } from '@flowllm/core/adapter';

/**
 * What an MCP client sees of a failure that was not meant for it (the HTTP service masks the same way).
 *
 * @example
 * result.content[0].text === MASKED_TOOL_ERROR; // a flow failed for an internal reason
 */
export const MASKED_TOOL_ERROR = 'The flow failed. The server log has the details (look up the flow_id).';

/**
 * Turns a flow's failure into the text of an MCP tool error and logs it (a disconnect is not logged):
 * the error's own message when it is safe to show (`FlowllmError.expose`: a timeout, a model failure
 * naming provider, model and status) or when `exposeErrors` is on, else {@link MASKED_TOOL_ERROR}. What
 * operators need and clients must not see (`logDetail`, a stack) goes to the log only.
 *
 * @example
 * const formatError = flowErrorReporter(flow, { logger, exposeErrors: false });
 * const response = await flow.run(input, { formatError });
 */
export function flowErrorReporter(
  flow: Flow,
  options: { logger: ServiceLogger; exposeErrors: boolean },
): (error: unknown, info: { flowId: string; op?: string }) => string {
  return (error, info) => {
    if (!(error instanceof FlowAbortedError)) {
      const log = info.op ? options.logger.warn : options.logger.error;
      const detail = logDetailOf(error);
      log.call(
        options.logger,
        `mcp tool '${flow.name}' ${info.op ? `op ${info.op} reported` : 'failed'}: ${messageOf(error)}`,
        {
          flow_id: info.flowId,
          ...(error instanceof Error && !FlowllmError.isInstance(error) ? { stack: error.stack } : {}),
          ...(detail ? { detail } : {}),
        },
      );
    }
    const safe = options.exposeErrors || (FlowllmError.isInstance(error) && error.expose);
    return safe ? messageOf(error) : MASKED_TOOL_ERROR;
  };
}

/**
 * The text of an MCP tool error for arguments that do not fit the flow's `input_schema`: one line per
 * problem, naming the argument (`items.0`) and what is wrong, as the HTTP service's 422 `detail` does.
 *
 * @example
 * invalidArgumentsText('search', error);
 * // "invalid arguments for tool 'search':\n- query: Field required"
 */
export function invalidArgumentsText(tool: string, error: HttpError): string {
  const issues = Array.isArray(error.detail) ? error.detail : [];
  const lines = issues.map((issue) => {
    const where = issue.loc.slice(1).join('.');
    return `- ${where ? `${where}: ` : ''}${issue.msg}`;
  });
  if (lines.length === 0) lines.push(`- ${error.message}`);
  return `invalid arguments for tool '${tool}':\n${lines.join('\n')}`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' && error !== '' ? error : 'unknown error';
}

/** The `logDetail` of the error or of the first cause that has one (an op's failure wraps the model's). */
function logDetailOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (FlowllmError.isInstance(current) && current.logDetail) return current.logDetail;
    current = current.cause;
  }
  return undefined;
}
