// The web-standard twin of server/streamable-http.ts (which serves node:http requests): the same
// sessions and answers for a fetch `Request`, on the SDK's `WebStandardStreamableHTTPServerTransport`.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { StreamableHttpOptions } from './server/streamable-http.js';

/**
 * The Streamable HTTP side of MCP on web `Request`s: see {@link webStreamableHttpHandler}.
 *
 * @example
 * const mcp: WebStreamableHttpHandler = webStreamableHttpHandler({ createServer: () => createMcpServer(app) });
 */
export interface WebStreamableHttpHandler {
  /** Answers one request to the MCP path (POST, GET, DELETE); `parsedBody` if a framework read it. */
  handleFetch(request: Request, parsedBody?: unknown): Promise<Response>;
  /** Ends every session and request: their flows are aborted. */
  close(): Promise<void>;
}

/**
 * Serves MCP's Streamable HTTP transport for fetch runtimes: stateful sessions by default (`initialize`
 * opens one and answers its `mcp-session-id`; an unknown id gets 404, DELETE ends it), or stateless
 * (a server per POST, closed — its flow aborted — once its response is read or cancelled).
 *
 * @example
 * const mcp = webStreamableHttpHandler({ createServer: () => createMcpServer(app) });
 * export const POST = (request: Request) => mcp.handleFetch(request);
 */
export function webStreamableHttpHandler(options: StreamableHttpOptions): WebStreamableHttpHandler {
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  // Every server running now, sessions' and single requests': close() ends them all.
  const servers = new Set<Server>();
  let closed = false;

  async function connect(
    stateful: boolean,
  ): Promise<{ server: Server; transport: WebStandardStreamableHTTPServerTransport }> {
    const server = options.createServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport(
      stateful
        ? {
            sessionIdGenerator: () => globalThis.crypto.randomUUID(),
            onsessioninitialized: (id) => void sessions.set(id, transport),
          }
        : { sessionIdGenerator: undefined },
    );
    server.onclose = () => {
      servers.delete(server);
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    servers.add(server);
    await server.connect(transport);
    return { server, transport };
  }

  async function handleFetch(request: Request, parsedBody?: unknown): Promise<Response> {
    if (closed) return jsonRpcError(503, -32000, 'Server is shutting down');
    const method = request.method.toUpperCase();
    if (!['POST', 'GET', 'DELETE'].includes(method))
      return jsonRpcError(405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    if (options.stateless && method !== 'POST')
      return jsonRpcError(405, -32000, 'Method not allowed: this MCP server is stateless', { allow: 'POST' });
    const sessionId = request.headers.get('mcp-session-id');
    if (!options.stateless && sessionId !== null) {
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, 'Session not found');
      return session.handleRequest(request, { parsedBody });
    }
    if (!options.stateless && method !== 'POST')
      return jsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    // The transport itself tells an initialize (a new session) from anything else (its 400).
    const { server, transport } = await connect(!options.stateless);
    const response = await transport.handleRequest(request, { parsedBody });
    if (transport.sessionId !== undefined) return response;
    return closingWith(response, () => server.close());
  }

  return {
    handleFetch,
    async close() {
      closed = true;
      await Promise.all([...servers].map((server) => server.close().catch(() => {})));
    },
  };
}

/**
 * A JSON-RPC error object (`id: null`), as the SDK's transports answer HTTP-level problems.
 *
 * @example
 * return jsonRpcError(404, -32001, 'Session not found');
 */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** `response` with `done` called once its body has been read to the end or cancelled (the client left). */
function closingWith(response: Response, done: () => Promise<void>): Response {
  if (!response.body) {
    void done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done: ended } = await reader.read();
      if (!ended) return controller.enqueue(value);
      controller.close();
      await done();
    },
    async cancel(reason) {
      await done();
      await reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
