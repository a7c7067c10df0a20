// Serving entry points replaced by `createFlowService`, kept as thin aliases for one minor version.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { FlowService } from './service.js';
import { createFlowService, type FlowServiceOptions, type FlowServiceSource } from './service-source.js';

/**
 * The options `toFlowService` took.
 *
 * @deprecated Use {@link FlowServiceOptions}; kept for one minor version.
 * @example
 * const options: FlowServiceOptions = { offlineFallback: true };
 */
export type FlowServiceSourceOptions = FlowServiceOptions;

/**
 * The service an adapter serves.
 *
 * @deprecated Use `createFlowService(source, options)` from `@flowllm/core`; kept for one minor version.
 * @example
 * const service = createFlowService('my_stream_config');
 */
export function toFlowService(source: FlowServiceSource, options: FlowServiceOptions = {}): FlowService {
  return createFlowService(source, options);
}

/**
 * A `(req, res)` listener for `http.createServer` / `http2.createServer` that serves the app alone
 * (404 for other paths).
 *
 * @deprecated Use `service.node`: `http.createServer(service.node)`; kept for one minor version.
 * @example
 * http.createServer(service.node).listen(8002);
 */
export function nodeListener(
  service: FlowService,
): (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => void {
  return service.node;
}
