import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readJsonBody, requestIds, sendJsonRpcError } from './node-http.js';

/**
 * Options of {@link streamableHttpHandler}.
 *
 * @example
 * const options: StreamableHttpOptions = { createServer: () => createMcpServer(app), stateless: false };
 */
export interface StreamableHttpOptions {
  /** Makes the MCP server of one session (stateful) or of one request (stateless). */
  createServer: () => Server;
  /**
   * No sessions: every POST gets a server and transport of its own (no `mcp-session-id`, GET and DELETE
   * answer 405), so any instance behind a load balancer can answer any request.
   * @default false: sessions keyed by `mcp-session-id`, ended by DELETE
   */
  stateless?: boolean;
}

/**
 * The Streamable HTTP side of MCP on node:http requests: see {@link streamableHttpHandler}.
 *
 * @example
 * const mcp: StreamableHttpHandler = streamableHttpHandler({ createServer: () => createMcpServer(app) });
 */
export interface StreamableHttpHandler {
  /** Answers one request to the MCP path (POST, GET, DELETE); `parsedBody` if a body parser read it. */
  handleNode(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void>;
  /** Sessions open now (stateful), or requests in flight (stateless). */
  readonly openCount: number;
  /** Ends every session and request: their flows are aborted. */
  close(): Promise<void>;
}

/**
 * Serves MCP's Streamable HTTP transport with the SDK's `StreamableHTTPServerTransport`: stateful
 * sessions by default (`initialize` opens one and answers its `mcp-session-id`; an unknown id gets 404,
 * DELETE ends it), or stateless. A client that drops a POST's response stream cancels the requests of
 * that POST, so their flows and model calls stop (the SDK alone would let them run on).
 *
 * @example
 * const mcp = streamableHttpHandler({ createServer: () => createMcpServer(app) });
 * http.createServer((req, res) => void mcp.handleNode(req, res)).listen(8001);
 */
export function streamableHttpHandler(options: StreamableHttpOptions): StreamableHttpHandler {
  const sessions = new Map<string, { server: Server; transport: StreamableHTTPServerTransport }>();
  const requests = new Set<Server>();
  let closed = false;

  async function handleStateless(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const server = options.createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    requests.add(server);
    // Done or dropped, the request's server goes: a dropped one aborts its flow.
    res.once('close', () => {
      requests.delete(server);
      void server.close();
    });
    await transport.handleRequest(req, res, body);
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const server = options.createServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    server.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handleNode(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void> {
    if (closed) return sendJsonRpcError(res, 503, -32000, 'Server is shutting down');
    const method = req.method ?? 'GET';
    if (!['POST', 'GET', 'DELETE'].includes(method)) {
      return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    }
    if (options.stateless && method !== 'POST') {
      return sendJsonRpcError(res, 405, -32000, 'Method not allowed: this MCP server is stateless', {
        allow: 'POST',
      });
    }
    const body = method === 'POST' ? (parsedBody ?? (await readJsonBody(req, res))) : undefined;
    if (method === 'POST' && body === undefined) return;
    if (options.stateless) return handleStateless(req, res, body);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
      cancelOnDisconnect(res, session.transport, body);
      return session.transport.handleRequest(req, res, body);
    }
    if (method === 'POST' && isInitializeRequest(body)) return openSession(req, res, body);
    return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
  }

  return {
    handleNode,
    get openCount() {
      return options.stateless ? requests.size : sessions.size;
    },
    async close() {
      closed = true;
      const servers = [...[...sessions.values()].map((session) => session.server), ...requests];
      sessions.clear();
      requests.clear();
      await Promise.all(servers.map((server) => server.close().catch(() => {})));
    },
  };
}

/** When the POST's response is cut before it ended, its requests are cancelled as if the client said so. */
function cancelOnDisconnect(
  res: ServerResponse,
  transport: StreamableHTTPServerTransport,
  body: unknown,
): void {
  const ids = requestIds(body);
  if (ids.length === 0) return;
  res.once('close', () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      const cancel: JSONRPCMessage = {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason: 'the client disconnected' },
      };
      transport.onmessage?.(cancel);
    }
  });
}
