// The Streamable HTTP endpoint a service mounts beside its flow routes: the Host/Origin guard, then
// node:http requests to server/streamable-http.ts and web Requests to web-streamable-http.ts — one SDK
// `Server` per session (or per request when stateless), all serving the same app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FlowApp, ServiceLogger } from '@flowllm/core';
import { createMcpServer } from './server/create-mcp-server.js';
import { sendJsonRpcError } from './server/node-http.js';
import { isLoopbackHost, requestGuard } from './server/request-guard.js';
import { streamableHttpHandler } from './server/streamable-http.js';
import { jsonRpcError, webStreamableHttpHandler } from './web-streamable-http.js';

/**
 * Options of {@link createMcpEndpoint}.
 *
 * @example
 * const options: McpEndpointOptions = { path: '/mcp', stateless: false, allowedOrigins: ['http://localhost:6274'] };
 */
export interface McpEndpointOptions {
  /**
   * Where the endpoint is mounted (the host routes this path to it; the endpoint answers whatever it is given).
   * @default "/mcp"
   */
  path?: string;
  /**
   * No sessions: every POST gets a server and transport of its own, GET and DELETE answer 405.
   * @default false: stateful sessions keyed by `mcp-session-id`
   */
  stateless?: boolean;
  /**
   * Browser origins allowed to call the endpoint (`*`: any).
   * @default none: same-origin and no-Origin requests only (on a loopback address: loopback origins)
   */
  allowedOrigins?: string[];
  /**
   * `Host` values allowed (`name` for any port, `name:port`). Needed behind a reverse proxy on the same
   * machine, which reaches a loopback port with its public `Host`.
   * @default none: any Host; on a loopback address loopback names only (DNS-rebinding protection)
   */
  allowedHosts?: string[];
  /**
   * Where tool failures are logged.
   * @default flowllm's console logger
   */
  logger?: ServiceLogger;
}

/**
 * Options of {@link McpEndpoint.handleFetch}.
 *
 * @example
 * await endpoint.handleFetch(request, { localAddress: '127.0.0.1' });
 */
export interface McpFetchOptions {
  /**
   * A body a framework already parsed.
   * @default none: the transport reads the body
   */
  parsedBody?: unknown;
  /**
   * The server-side address of the connection, when the runtime tells it; a loopback one turns on
   * DNS-rebinding protection.
   * @default unknown: a loopback `Host` turns it on
   */
  localAddress?: string;
}

/**
 * A mounted MCP endpoint (Streamable HTTP): hand it the requests for its `path` as Node objects or as a
 * web `Request`. A session lives on the handler that opened it. `close()` ends every session, which
 * aborts the flows they run.
 *
 * @example
 * const endpoint = createMcpEndpoint(app);
 * http.createServer((req, res) => (req.url === endpoint.path ? endpoint.handleNode(req, res) : other(req, res)));
 */
export interface McpEndpoint {
  readonly path: string;
  /** Serves a Node request; `parsedBody` is a body a framework already parsed (express.json()). */
  handleNode(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void>;
  /** Serves a web `Request`. */
  handleFetch(request: Request, options?: McpFetchOptions): Promise<Response>;
  /** Closes every session and request; later requests get 503. */
  close(): Promise<void>;
}

/**
 * The Streamable HTTP MCP endpoint of an app, to mount beside its HTTP routes (what
 * `createFlowService(config, { mcp: true })` and every adapter do): every served flow is a tool
 * (`createMcpServer`). A request reaching a loopback address (or naming a loopback host) under another
 * `Host` name, or from another browser origin, gets 403.
 *
 * @example
 * const endpoint = createMcpEndpoint(app, { path: '/mcp' });
 * expressApp.all('/mcp', express.json(), (req, res) => endpoint.handleNode(req, res, req.body));
 * export const POST = (request: Request) => endpoint.handleFetch(request);
 */
export function createMcpEndpoint(app: FlowApp, options: McpEndpointOptions = {}): McpEndpoint {
  const { path = '/mcp', stateless = false, allowedOrigins, allowedHosts, logger } = options;
  const sessions = { createServer: () => createMcpServer(app, { logger }), stateless };
  const node = streamableHttpHandler(sessions);
  const web = webStreamableHttpHandler(sessions);
  const policy = { allowedOrigins, allowedHosts };
  const loopbackGuard = requestGuard({ ...policy, boundHost: '127.0.0.1' });
  const otherGuard = requestGuard(policy);
  /** Why the request gets 403: the loopback policy when the connection (or else the Host) is loopback. */
  const refusal = (
    host: string | undefined,
    origin: string | undefined,
    localAddress: string | undefined,
  ) => {
    const bound = localAddress?.replace(/^::ffff:/, '') ?? hostnameOf(host ?? '');
    return (isLoopbackHost(bound) ? loopbackGuard : otherGuard)({ host, origin });
  };

  return {
    path,
    async handleNode(req, res, parsedBody) {
      const why = refusal(one(req.headers.host), one(req.headers.origin), req.socket?.localAddress);
      if (why) return sendJsonRpcError(res, 403, -32000, why);
      await node.handleNode(req, res, parsedBody);
    },
    async handleFetch(request, { parsedBody, localAddress } = {}) {
      // A Request built in-process has no Host header: its URL names the host.
      const host = request.headers.get('host') ?? new URL(request.url).host;
      const why = refusal(host, request.headers.get('origin') ?? undefined, localAddress);
      if (why) return jsonRpcError(403, -32000, why);
      return web.handleFetch(request, parsedBody);
    },
    async close() {
      await Promise.all([node.close(), web.close()]);
    },
  };
}

/** `example.com:8001` → `example.com`; `[::1]:8001` → `[::1]`. */
function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
