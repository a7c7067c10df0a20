import { FlowllmError } from '@flowllm/core';
import type { ExternalMcpConfig, FlowResources } from '@flowllm/core/ops';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type CallToolResult,
  ErrorCode,
  McpError,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { DeadlineError, withDeadline } from './deadline.js';
import { redact } from './header-env.js';
import { createTransport } from './transport.js';

/**
 * Limits of one use of a pooled server: the caller's abort signal and its whole time budget
 * (connecting included).
 *
 * @example
 * const options: McpCallOptions = { signal: this.signal, timeoutMs: 30_000 };
 */
export interface McpCallOptions {
  /**
   * Aborts the use: the connection attempt or the call in flight (the server is told with
   * `notifications/cancelled`).
   * @default none
   */
  signal?: AbortSignal;
  /** The whole time budget of this use in ms, connecting included. */
  timeoutMs: number;
}

interface Connection {
  readonly client: Client;
  readonly transport: Transport;
  readonly secrets: readonly string[];
  ready: Promise<void>;
  connected: boolean;
  closed: boolean;
  /** The server's tools, listed once per connection (until it says they changed). */
  tools?: Promise<Tool[]>;
}

const CLIENT_INFO = { name: 'flowllm', version: '0.2.0' };
// How long a shutdown waits for a Streamable HTTP server to acknowledge the end of its session.
const END_SESSION_MS = 2000;

/**
 * One SDK `Client` per `external_mcp` server, connected on first use and kept for every later request
 * and flow; a connection that fails is dropped, and the next use connects again. A kept connection that
 * fails is retried once at once (the server may have restarted) — for a tool call only when the call
 * surely did not reach the server, since a tool may act before its connection drops. Every use is bounded by its time
 * budget and its caller's signal. Errors name the server and never hold a header value.
 *
 * @example
 * const pool = new McpClientPool({ echo: { command: 'node', args: ['echo.mjs'] } }, process.env);
 * const tools = await pool.listTools('echo', { timeoutMs: 30_000 });
 * await pool.close();
 */
export class McpClientPool {
  private readonly connections = new Map<string, Connection>();

  constructor(
    private readonly servers: Readonly<Record<string, ExternalMcpConfig>>,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  /** The server's tools, every page; listed once per connection. */
  listTools(server: string, options: McpCallOptions): Promise<Tool[]> {
    return this.use(server, 'list its tools', options, anyFailure, (connection, timeout) => {
      if (!connection.tools) {
        const listing = listAllTools(connection.client, timeout);
        connection.tools = listing;
        listing.catch(() => {
          if (connection.tools === listing) connection.tools = undefined;
        });
      }
      return connection.tools;
    });
  }

  /** Calls a tool; its `isError` results come back as results, for the caller to judge. */
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<CallToolResult> {
    return this.use(
      server,
      `run the tool '${tool}'`,
      options,
      // A tool may act (write, send) before the connection drops: run it again only when it surely did not.
      notDelivered,
      (connection, timeout, signal) =>
        connection.client.callTool({ name: tool, arguments: args }, undefined, {
          timeout,
          ...(signal && { signal }),
        }) as Promise<CallToolResult>,
    );
  }

  /** Closes every connection (ends Streamable HTTP sessions, stops stdio servers). Later uses reconnect. */
  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(open.map(closeConnection));
  }

  /** The names of the servers with a connection open or opening. */
  get openServers(): string[] {
    return [...this.connections.keys()];
  }

  private async use<T>(
    server: string,
    what: string,
    { signal, timeoutMs }: McpCallOptions,
    retryable: (error: unknown) => boolean,
    work: (connection: Connection, timeoutMs: number, signal?: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const connection = this.connection(server, timeoutMs);
      const reused = connection.connected;
      try {
        const done = connection.ready.then(() => work(connection, left(deadline), signal));
        return await withDeadline(done, left(deadline), signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const reason = redact(describe(error), connection.secrets);
        if (answeredByServer(error)) throw toolError(`MCP server '${server}' refused to ${what}: ${reason}`);
        const connected = connection.connected;
        this.drop(server, connection);
        if (timedOut(error)) {
          throw toolError(
            `MCP server '${server}' did not ${connected ? `${what}` : 'connect'} within ${seconds(timeoutMs)} s`,
          );
        }
        // A kept connection may be stale (the server restarted): try once more on a new one.
        if (reused && attempt === 1 && left(deadline) > 0 && retryable(error)) continue;
        throw toolError(
          connected
            ? `MCP server '${server}' failed to ${what}: ${reason}`
            : `MCP server '${server}' cannot be reached: ${reason}`,
        );
      }
    }
  }

  private connection(server: string, timeoutMs: number): Connection {
    const open = this.connections.get(server);
    if (open) return open;
    const { transport, secrets } = createTransport(server, this.config(server), this.env);
    const client = new Client(CLIENT_INFO);
    const connection: Connection = {
      client,
      transport,
      secrets,
      ready: Promise.resolve(),
      connected: false,
      closed: false,
    };
    client.onclose = () => this.drop(server, connection);
    // A broken SSE stream does not come back usable (a new stream is a new, uninitialized session).
    client.onerror = (error) => {
      if (error instanceof SseError && connection.connected) this.drop(server, connection);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      connection.tools = undefined;
    });
    connection.ready = withDeadline(client.connect(transport, { timeout: timeoutMs }), timeoutMs).then(() => {
      connection.connected = true;
    });
    connection.ready.catch(() => this.drop(server, connection));
    this.connections.set(server, connection);
    return connection;
  }

  private config(server: string): ExternalMcpConfig {
    if (Object.hasOwn(this.servers, server)) return this.servers[server] as ExternalMcpConfig;
    const known = Object.keys(this.servers).join(', ') || 'none';
    throw toolError(`MCP server '${server}' is not in the config's external_mcp; configured: ${known}`);
  }

  private drop(server: string, connection: Connection): void {
    if (this.connections.get(server) === connection) this.connections.delete(server);
    void closeConnection(connection);
  }
}

const pools = new WeakMap<FlowResources, McpClientPool>();

/**
 * The pool of an app (one per app's resources): made on first use from the config's `external_mcp`
 * and the app's environment, and closed when the app closes (`app.close()`, a service's shutdown).
 *
 * @example
 * const result = await mcpPool(this.context.resources).callTool('echo', 'echo', { text: 'hi' }, { timeoutMs: 30_000 });
 */
export function mcpPool(resources: FlowResources): McpClientPool {
  let pool = pools.get(resources);
  if (!pool) {
    const made = new McpClientPool(resources.externalMcp ?? {}, resources.env ?? process.env);
    resources.onClose?.(() => made.close());
    pools.set(resources, made);
    pool = made;
  }
  return pool;
}

async function listAllTools(client: Client, timeout: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

async function closeConnection(connection: Connection): Promise<void> {
  if (connection.closed) return;
  connection.closed = true;
  const { transport, client } = connection;
  // The server frees a Streamable HTTP session only when told (DELETE); closing just stops reading.
  if (connection.connected && transport instanceof StreamableHTTPClientTransport) {
    await withDeadline(transport.terminateSession(), END_SESSION_MS).catch(() => {});
  }
  await client.close().catch(() => {});
}

const anyFailure = () => true;

/**
 * A failure that proves the server never ran the request: the server no longer knows the session
 * (HTTP 404, it restarted), or the transport was closed before anything was sent.
 */
function notDelivered(error: unknown): boolean {
  if (error instanceof StreamableHTTPError) return error.code === 404;
  return error instanceof Error && /^Not connected$|\(HTTP 404\)/.test(error.message);
}

/** A JSON-RPC error the server sent: the connection is fine, the request was not. */
function answeredByServer(error: unknown): boolean {
  return (
    error instanceof McpError &&
    error.code !== ErrorCode.ConnectionClosed &&
    error.code !== ErrorCode.RequestTimeout
  );
}

function timedOut(error: unknown): boolean {
  return (
    error instanceof DeadlineError || (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
  );
}

// The message, with what the SDK keeps beside it: a refused connection's errno, an HTTP status.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const message = error.message || error.name;
  const errno = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof errno === 'string') return `${message} (${errno})`;
  const status = (error as { code?: unknown }).code;
  const isHttpStatus = typeof status === 'number' && status >= 100 && status < 600;
  return isHttpStatus && !message.includes(String(status)) ? `${message} (HTTP ${status})` : message;
}

/** An error a client and the model may read: it names the server, never a secret. */
function toolError(message: string): FlowllmError {
  return new FlowllmError('FLOWLLM_TOOL', message, { expose: true });
}

const left = (deadline: number) => Math.max(0, Math.round(deadline - performance.now()));
const seconds = (ms: number) => Number((ms / 1000).toFixed(3));
