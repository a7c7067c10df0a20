// `@flowllm/mcp`: MCP for flowllm — flows served as MCP tools, and external MCP servers' tools in flows.

// Calling external MCP servers (`external_mcp`) from flows.
export {
  BaseMcpOp,
  BochaMcpSearchOp,
  DEFAULT_MCP_TIMEOUT_SECONDS,
  type McpCallOptions,
  McpClientPool,
  McpToolsOp,
  type McpTransportKind,
  mcpOps,
  mcpPool,
  TongyiMcpSearchOp,
  transportKind,
} from './client/index.js';
export {
  createMcpEndpoint,
  type McpEndpoint,
  type McpEndpointOptions,
  type McpFetchOptions,
} from './endpoint.js';
export { type McpTransport, type RunningMcpServer, type ServeMcpOptions, serveMcp } from './serve.js';
export { type CallFlowToolOptions, type ChunkProgress, callFlowTool } from './server/call-flow-tool.js';
export { createMcpServer, type McpServerOptions } from './server/create-mcp-server.js';
export { flowTool, flowTools } from './server/flow-tools.js';
export { isLoopbackHost, type RequestGuardOptions, requestGuard } from './server/request-guard.js';
export { type SseHandler, type SseOptions, sseHandler } from './server/sse.js';
export {
  type StreamableHttpHandler,
  type StreamableHttpOptions,
  streamableHttpHandler,
} from './server/streamable-http.js';
export { MASKED_TOOL_ERROR } from './server/tool-errors.js';
export { type WebStreamableHttpHandler, webStreamableHttpHandler } from './web-streamable-http.js';
