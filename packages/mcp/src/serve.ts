import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { FlowApp } from '@flowllm/core';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './server/create-mcp-server.js';
import { sendJsonRpcError } from './server/node-http.js';
import { requestGuard } from './server/request-guard.js';
import { sseHandler } from './server/sse.js';
import { streamableHttpHandler } from './server/streamable-http.js';

/**
 * How MCP clients reach the flows: `stdio` (the client starts this process), `sse` (FlowLLM's default:
 * `GET /sse` + `POST /messages/`), `streamable-http` or its FlowLLM alias `http` (`/mcp`).
 *
 * @example
 * const transport: McpTransport = 'streamable-http';
 */
export type McpTransport = 'stdio' | 'sse' | 'streamable-http' | 'http';

/**
 * Options of {@link serveMcp}; each defaults to the config's `mcp.*` key.
 *
 * @example
 * const options: ServeMcpOptions = { transport: 'streamable-http', host: '127.0.0.1', port: 0 };
 */
export interface ServeMcpOptions extends McpServerOptions {
  /**
   * The transport.
   * @default the config's `mcp.transport` (`sse`)
   */
  transport?: McpTransport;
  /**
   * Where the HTTP transports listen.
   * @default the config's `mcp.host` (`0.0.0.0`)
   */
  host?: string;
  /**
   * The port (0: a free one, see `url`).
   * @default the config's `mcp.port` (`8001`)
   */
  port?: number;
  /**
   * Streamable HTTP without sessions: every POST gets its own server.
   * @default the config's `mcp.stateless` (`false`)
   */
  stateless?: boolean;
  /**
   * Browser origins the HTTP transports accept (`*`: any).
   * @default the config's `mcp.allowed_origins` (`[]`: loopback origins on a loopback host, same-origin otherwise)
   */
  allowedOrigins?: string[];
  /**
   * `Host` names the HTTP transports accept besides the loopback ones on a loopback host.
   * @default the config's `mcp.allowed_hosts` (`[]`: any on a non-loopback host)
   */
  allowedHosts?: string[];
  /**
   * The streams of the stdio transport.
   * @default process.stdin and process.stdout
   */
  stdio?: { stdin: Readable; stdout: Writable };
}

/**
 * A running MCP server, from {@link serveMcp}.
 *
 * @example
 * const running: RunningMcpServer = await serveMcp(app);
 * console.error(running.url); // http://localhost:8001/sse
 */
export interface RunningMcpServer {
  transport: 'stdio' | 'sse' | 'streamable-http';
  /** Where clients connect (the HTTP transports): the real port when `port` was 0. */
  url?: string;
  /** Resolves when the server stopped: `close()` was called, or the stdio client went away. */
  closed: Promise<void>;
  /** Ends every session (their flows are aborted) and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves the app's flows as MCP tools (see `createMcpServer`) over stdio, SSE or Streamable HTTP, as
 * `flowllm backend=mcp` does. The HTTP transports check `Host` and `Origin` (DNS-rebinding protection,
 * strict on a loopback host: 403 otherwise). With stdio, nothing else may write to stdout.
 *
 * @example
 * const running = await serveMcp(app, { transport: 'streamable-http', host: '127.0.0.1', port: 8001 });
 * process.once('SIGINT', () => void running.close());
 */
export async function serveMcp(app: FlowApp, options: ServeMcpOptions = {}): Promise<RunningMcpServer> {
  const config = app.config.mcp;
  const transport = options.transport ?? config.transport;
  const makeServer = () => createMcpServer(app, options);
  if (transport === 'stdio') return serveStdio(makeServer, options.stdio);
  if (transport !== 'sse' && transport !== 'streamable-http' && transport !== 'http') {
    throw new Error(
      `mcp.transport '${transport}' is not a transport: use stdio, sse, streamable-http (or http)`,
    );
  }
  const host = options.host ?? config.host;
  const refuse = requestGuard({
    boundHost: host,
    allowedHosts: options.allowedHosts ?? config.allowed_hosts,
    allowedOrigins: options.allowedOrigins ?? config.allowed_origins,
  });
  const stateless = options.stateless ?? config.stateless;
  const routes =
    transport === 'sse'
      ? sseRoutes(makeServer)
      : streamableRoutes(streamableHttpHandler({ createServer: makeServer, stateless }));
  const server = createServer((req, res) => {
    const reason = refuse({ host: req.headers.host, origin: req.headers.origin });
    if (reason) return sendJsonRpcError(res, 403, -32000, reason);
    routes.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal error');
      else res.destroy();
      (options.logger ?? console).error(`mcp request failed: ${String(error)}`);
    });
  });
  await listen(server, options.port ?? config.port, host);
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stop: Promise<void> | undefined;
  const close = () => {
    stop ??= routes.close().then(() => closeServer(server));
    return stop;
  };
  return {
    transport: transport === 'sse' ? 'sse' : 'streamable-http',
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}${routes.path}`,
    closed: new Promise((resolve) => server.once('close', () => resolve())),
    close,
  };
}

interface Routes {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

function streamableRoutes(mcp: ReturnType<typeof streamableHttpHandler>): Routes {
  return {
    path: '/mcp',
    handle: (req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (pathname === '/mcp' || pathname === '/mcp/') return mcp.handleNode(req, res);
      return Promise.resolve(notFound(res));
    },
    close: () => mcp.close(),
  };
}

function sseRoutes(makeServer: () => ReturnType<typeof createMcpServer>): Routes {
  const sse = sseHandler({ createServer: makeServer, messagesPath: '/messages/' });
  return {
    path: '/sse',
    handle: (req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && pathname === '/sse') return sse.handleStream(req, res);
      if (req.method === 'POST' && (pathname === '/messages/' || pathname === '/messages')) {
        return sse.handleMessage(req, res);
      }
      return Promise.resolve(notFound(res));
    },
    close: () => sse.close(),
  };
}

function notFound(res: ServerResponse): void {
  sendJsonRpcError(res, 404, -32000, 'Not found');
}

async function serveStdio(
  makeServer: () => ReturnType<typeof createMcpServer>,
  streams: ServeMcpOptions['stdio'] = { stdin: process.stdin, stdout: process.stdout },
): Promise<RunningMcpServer> {
  const server = makeServer();
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport(streams.stdin, streams.stdout));
  // The client closed our stdin (it quit): stop, aborting whatever runs.
  const close = () => server.close();
  const onGone = () => void close().catch(() => {});
  streams.stdin.once('end', onGone);
  streams.stdin.once('close', onGone);
  return { transport: 'stdio', closed, close };
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Sessions are closed by now: stop listening, close idle connections as they become idle. */
function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    const sweeper = setInterval(() => server.closeIdleConnections(), 25);
    const cutoff = setTimeout(() => server.closeAllConnections(), 2000);
    sweeper.unref();
    cutoff.unref();
    server.close(() => {
      clearInterval(sweeper);
      clearTimeout(cutoff);
      resolve();
    });
    server.closeIdleConnections();
  });
}
