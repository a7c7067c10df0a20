// The express adapter: express middleware is connect-style, which the service's `node` handler is
// already. All behaviour — routes, validation, streaming, errors — lives in core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFlowService, type FlowServiceOptions, type FlowServiceSource } from '@flowllm/core';

/**
 * Options of {@link flowllmExpress}: the service's `logger`, `mcp` (the MCP Streamable HTTP endpoint
 * beside the flows) and, when `config` is not already a `FlowApp` or `FlowService`, `createFlowApp`'s
 * options (`overrides`, `cwd`, `env`, `ops`, `opRegistry`, `backends`, `offlineFallback`).
 *
 * @example
 * app.use('/api', flowllmExpress('my_stream_config', { ops: [SummarizeOp], offlineFallback: true }));
 * app.use(flowllmExpress('my_stream_config', { mcp: true })); // + GET/POST/DELETE /mcp
 */
export type FlowllmExpressOptions = FlowServiceOptions;

/**
 * The middleware {@link flowllmExpress} returns, in node:http's types: express's `Request` and
 * `Response` extend them, so `app.use()` takes it as it is and these declarations need no
 * `@types/express`.
 *
 * @example
 * const middleware: FlowllmExpressMiddleware = flowllmExpress('my_stream_config');
 * app.use('/api', middleware);
 */
export type FlowllmExpressMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express middleware serving every flow of a config: `GET /health`, `/openapi.json`, `/docs`,
 * `POST /{flow}` (and `GET /{flow}` for EventSource). Other paths go to `next()`, so the app's own
 * routes keep working. Reuses a body that `express.json()` parsed; safe under `compression`.
 *
 * @param config a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * app.use(flowllmExpress('my_stream_config'));          // POST /demo_stream_http_flow
 * app.use('/api', flowllmExpress(config));               // POST /api/demo_stream_http_flow
 */
export function flowllmExpress(
  config: FlowServiceSource,
  options: FlowllmExpressOptions = {},
): FlowllmExpressMiddleware {
  // Reuses req.body when a body parser ran (express 5 leaves it undefined otherwise); other paths go to
  // next(), failures before the response started to next(error).
  return createFlowService(config, options).node;
}
