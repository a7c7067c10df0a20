import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { sendJsonRpcError } from './node-http.js';

/** Seconds between keep-alive comments on an idle SSE stream, so proxies do not cut it. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Options of {@link sseHandler}.
 *
 * @example
 * const options: SseOptions = { createServer: () => createMcpServer(app), messagesPath: '/messages/' };
 */
export interface SseOptions {
  /** Makes the MCP server of one SSE connection. */
  createServer: () => Server;
  /**
   * Where clients POST their messages (`?sessionId=…` is appended).
   * @default '/messages/' (FlowLLM's, FastMCP's)
   */
  messagesPath?: string;
}

/**
 * The SSE transport of MCP (protocol 2024-11-05, FlowLLM's default) on node:http: see {@link sseHandler}.
 *
 * @example
 * const sse: SseHandler = sseHandler({ createServer: () => createMcpServer(app) });
 */
export interface SseHandler {
  /** `GET /sse`: opens a session's event stream. */
  handleStream(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** `POST /messages/?sessionId=…`: one client message for that session. */
  handleMessage(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Open event streams. */
  readonly openCount: number;
  /** Ends every stream: their flows are aborted. */
  close(): Promise<void>;
}

/**
 * Serves MCP's SSE transport with the SDK's `SSEServerTransport`: each `GET` stream is a session with
 * a server of its own; its messages arrive by POST. A closed stream ends the session and aborts its
 * running flows.
 *
 * @example
 * const sse = sseHandler({ createServer: () => createMcpServer(app) });
 * // GET /sse → sse.handleStream(req, res); POST /messages/ → sse.handleMessage(req, res)
 */
export function sseHandler(options: SseOptions): SseHandler {
  const sessions = new Map<string, Server>();
  let closed = false;
  return {
    async handleStream(_req, res) {
      if (closed) return sendJsonRpcError(res, 503, -32000, 'Server is shutting down');
      const transport = new SSEServerTransport(options.messagesPath ?? '/messages/', res);
      const server = options.createServer();
      const keepAlive = setInterval(() => res.write(': keepalive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      server.onclose = () => {
        clearInterval(keepAlive);
        sessions.delete(transport.sessionId);
      };
      sessions.set(transport.sessionId, server);
      await server.connect(transport);
    },
    async handleMessage(req, res) {
      const sessionId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '';
      const transport = sessions.get(sessionId)?.transport;
      if (!(transport instanceof SSEServerTransport)) {
        return sendJsonRpcError(res, 404, -32001, 'Session not found');
      }
      await transport.handlePostMessage(req, res);
    },
    get openCount() {
      return sessions.size;
    },
    async close() {
      closed = true;
      const servers = [...sessions.values()];
      sessions.clear();
      await Promise.all(servers.map((server) => server.close().catch(() => {})));
    },
  };
}
