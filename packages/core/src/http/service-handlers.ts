import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { FetchHandleOptions } from './fetch-handler.js';
import { notFound, startNodeRequest, writeResult } from './node-handler.js';
import type { FlowService } from './service.js';

/**
 * `service.fetch`: a web fetch handler (Bun, Deno, Hono, Next.js route handlers, `export default
 * { fetch }`). A path that is not the service's gets `404 {"detail":"Not Found"}`. Only the request is
 * read: runtimes pass their own second argument (Bun's server, Deno's info, a worker's env).
 *
 * @example
 * Bun.serve({ fetch: service.fetch });
 */
export type FlowFetch = (request: Request) => Promise<Response>;

/**
 * `service.handleFetch`: the fetch handler as middleware: `undefined` for a path that is not the
 * service's, so a router falls through; serves below a mount point (`path`) and reuses a parsed body.
 *
 * @example
 * app.use('/api/*', async (c, next) => (await service.handleFetch(c.req.raw, { path: c.req.path.slice(4) })) ?? next());
 */
export type FlowHandleFetch = (
  request: Request,
  options?: FetchHandleOptions,
) => Promise<Response | undefined>;

/** A request of Node's `http` or `http2` (compatibility API) server. */
type NodeRequest = IncomingMessage | Http2ServerRequest;
/** A response of Node's `http` or `http2` (compatibility API) server. */
type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * `service.node`: a `node:http` / `node:http2` request listener and, with `next`, connect-style
 * middleware (express, connect, polka): other paths go to `next()`, failures before the response
 * started to `next(error)`. Reuses a body a body parser left on `request.body`.
 *
 * @example
 * http.createServer(service.node).listen(8002);
 * expressApp.use('/api', service.node);
 */
export type FlowNodeHandler = (
  request: NodeRequest,
  response: NodeResponse,
  next?: (error?: unknown) => void,
) => void;

const NOT_FOUND = notFound();

/** `service.fetch`, for a given service. */
export function fetchHandler(service: FlowService): FlowFetch {
  return async (request) =>
    (await service.handleFetch(request)) ??
    new Response(NOT_FOUND.body, { status: NOT_FOUND.status, headers: NOT_FOUND.headers });
}

/** `service.node`, for a given service. */
export function nodeHandler(service: FlowService): FlowNodeHandler {
  return (request, response, next) => {
    const parsedBody = (request as { body?: unknown }).body;
    const options = next ? { next: () => next(), parsedBody } : { parsedBody };
    const fail = (error: unknown) => {
      // next(error) after the headers went out would make express destroy the socket mid-stream.
      if (next && !response.headersSent) return next(error);
      if (!next) service.logger.error(`request failed: ${String(error)}`);
      if (!response.headersSent) writeResult(response, { status: 500, headers: {}, body: '' });
      else response.end();
    };
    // A stream's pump reports a failure to `fail` itself: no promise waits on it while the stream runs.
    startNodeRequest(service, request, response, options, fail).catch(fail);
  };
}
