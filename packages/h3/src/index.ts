// The h3 adapter: it only hands h3's web Request to @flowllm/core's fetch path.
// All behaviour — routes, validation, streaming, errors — lives in core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFlowService, type FlowServiceOptions, type FlowServiceSource } from '@flowllm/core';
import { HTTPError } from 'h3';

/**
 * Options of {@link flowllmH3}: the service's `logger`, `mcp` (the MCP Streamable HTTP endpoint beside
 * the flows) and, when `config` is not already a `FlowApp` or `FlowService`, `createFlowApp`'s options
 * (`overrides`, `cwd`, `env`, `ops`, …).
 *
 * @example
 * const app = new H3().mount('/api', flowllmH3('my_stream_config', { offlineFallback: true }));
 * const withMcp = new H3().mount('/api', flowllmH3('my_stream_config', { mcp: true })); // + /api/mcp
 */
export type FlowllmH3Options = FlowServiceOptions;

/**
 * A fetch handler, which h3 2's `app.mount(base, …)` accepts (it strips `base` from the URL). For a path
 * that is not the service's it throws h3's `HTTPError(404)`, so the app's own 404 handling answers;
 * outside h3, use `createFlowService(config).fetch` from `@flowllm/core`.
 *
 * @example
 * const handler: FlowllmFetchHandler = flowllmH3(config);
 * const response = await handler.fetch(new Request('http://localhost/health')); // 200 {"status":"healthy"}
 */
export interface FlowllmFetchHandler {
  fetch(request: Request): Promise<Response>;
}

/**
 * Serves every flow of a config in an h3 2 app: `app.mount('/api', flowllmH3(config))`. Streams are
 * pull-based web streams (srvx handles drain and disconnect on Node); the request's signal aborts the
 * flow when the client leaves.
 *
 * @param config a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * const app = new H3().mount('/api', flowllmH3('my_stream_config'));
 */
export function flowllmH3(config: FlowServiceSource, options: FlowllmH3Options = {}): FlowllmFetchHandler {
  const service = createFlowService(config, options);
  return {
    fetch: async (request) => {
      const response = await service.handleFetch(request, { nodeRequest: srvxNode(request).req });
      // Not ours: h3's own 404 and the app's error handling take over.
      if (!response) throw new HTTPError({ status: 404 });
      // Complete answers carry their length; a stream (SSE, or a protocol of another format) does not.
      if (response.body && !response.headers.has('content-length')) flushHeadersEarly(request);
      return response;
    },
  };
}

/**
 * On Node, srvx (h3's server) hands over its Node request and response. Reading the body from the
 * IncomingMessage spares building a web Request and stream first (any body method of srvx's Request
 * would); the response is needed to flush headers early.
 */
function srvxNode(request: Request): { req?: IncomingMessage; res?: ServerResponse } {
  return (
    (request as { runtime?: { node?: { req?: IncomingMessage; res?: ServerResponse } } }).runtime?.node ?? {}
  );
}

// srvx writes the head of a streamed response only with its first body chunk; SSE clients need the
// headers at once (the stream may wait long for its first token), so flush right after writeHead.
function flushHeadersEarly(request: Request): void {
  const response = srvxNode(request).res;
  if (!response) return;
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const result = (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    this.flushHeaders();
    return result;
  } as ServerResponse['writeHead'];
}
