// The express adapter: it only translates express's req/res/next to @flowllm/core's Node path.
// All behaviour — routes, validation, streaming, errors — lives in core.
import {
  type FlowServiceSource,
  type FlowServiceSourceOptions,
  handleNodeRequest,
  toFlowService,
} from '@flowllm/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Options of {@link flowllmExpress}: the service's `logger` and, when `config` is not already a
 * `FlowApp` or `FlowService`, `createFlowApp`'s options (`overrides`, `cwd`, `env`, `ops`, `opRegistry`,
 * `backends`, `offlineFallback`).
 *
 * @example
 * app.use('/api', flowllmExpress('my_stream_config', { ops: [SummarizeOp], offlineFallback: true }));
 */
export type FlowllmExpressOptions = FlowServiceSourceOptions;

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
): RequestHandler {
  const service = toFlowService(config, options);
  return (request: Request, response: Response, next: NextFunction) => {
    // express 5 leaves req.body undefined unless a body parser ran.
    const parsedBody = (request as { body?: unknown }).body;
    handleNodeRequest(service, request, response, { next, parsedBody }).catch((error: unknown) => {
      // next(err) after the headers went out would make express destroy the socket mid-stream.
      if (response.headersSent) response.end();
      else next(error);
    });
  };
}
