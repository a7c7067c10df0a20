import type { FlowApp, ServiceLogger } from '@flowllm/core';
import { consoleLogger } from '@flowllm/core/adapter';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type ChunkProgress, callFlowTool } from './call-flow-tool.js';
import { flowTools } from './flow-tools.js';
import { packageVersion } from './package-version.js';

/**
 * Options of {@link createMcpServer}.
 *
 * @example
 * const server = createMcpServer(app, { name: 'my-flows', exposeErrors: true });
 */
export interface McpServerOptions {
  /**
   * The server's name in the MCP handshake.
   * @default the config's `app_name`
   */
  name?: string;
  /**
   * Where tool failures are logged.
   * @default flowllm's console logger, every line on stderr (stdout may be the stdio transport)
   */
  logger?: ServiceLogger;
  /**
   * Show every failure's message to MCP clients; otherwise unexpected errors are masked.
   * @default the config's `http.expose_errors`
   */
  exposeErrors?: boolean;
}

/** flowllm's console logger with info lines on stderr too: a stdio server owns stdout. */
const stderrLogger: ServiceLogger = { ...consoleLogger, info: consoleLogger.warn };

/**
 * An MCP server (the SDK's low-level `Server`, for flows' JSON Schemas) whose tools are the app's
 * served flows, sync and stream ones: `tools/list` lists them (see `flowTool`), `tools/call` runs one
 * with the caller's arguments checked against its `input_schema`. While a stream flow runs, each chunk
 * goes out as `notifications/progress` when the caller sent a `progressToken`. A cancelled request
 * (`notifications/cancelled`) or a closed transport aborts the flow and its model calls. One server
 * serves one connection: create one per session.
 *
 * @example
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 * await createMcpServer(app).connect(new StdioServerTransport());
 */
export function createMcpServer(app: FlowApp, options: McpServerOptions = {}): Server {
  const server = new Server(
    { name: options.name ?? app.config.app_name, version: packageVersion() },
    { capabilities: { tools: {} } },
  );
  const logger = options.logger ?? stderrLogger;
  const exposeErrors = options.exposeErrors ?? app.config.http.expose_errors;
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: flowTools(app) }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const flow = app.flows.get(request.params.name);
    if (!flow) {
      // A plain error with a code: McpError's message already carries "MCP error -32602:", which the
      // client would add a second time.
      throw Object.assign(new Error(`Unknown tool: ${request.params.name}`), {
        code: ErrorCode.InvalidParams,
      });
    }
    const token = extra._meta?.progressToken;
    const onChunk: ChunkProgress | undefined =
      token === undefined
        ? undefined
        : (progress, message, chunkType) =>
            extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken: token,
                  progress,
                  message,
                  _meta: { 'flowllm/chunk_type': chunkType },
                },
              })
              // A caller that went away is noticed by the transport, which aborts the request.
              .catch(() => {});
    return callFlowTool(flow, request.params.arguments, {
      signal: extra.signal,
      logger,
      exposeErrors,
      onChunk,
    });
  });
  return server;
}
