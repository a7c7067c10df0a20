// The client side of @flowllm/mcp: external MCP servers (`external_mcp` in the config) called from flows.
import type { OpClass } from '@flowllm/core';
import { BaseMcpOp } from './base-mcp-op.js';
import { BochaMcpSearchOp, TongyiMcpSearchOp } from './mcp-search-ops.js';
import { McpToolsOp } from './mcp-tools-op.js';

export { BaseMcpOp } from './base-mcp-op.js';
export { BochaMcpSearchOp, TongyiMcpSearchOp } from './mcp-search-ops.js';
export { McpToolsOp } from './mcp-tools-op.js';
export { type McpCallOptions, McpClientPool, mcpPool } from './pool.js';
export { DEFAULT_MCP_TIMEOUT_SECONDS } from './timeout.js';
export { type McpTransportKind, transportKind } from './transport.js';

/**
 * The op classes of @flowllm/mcp, for an app's registry: `createFlowApp({ ops: mcpOps })` (the
 * `flowllm` command adds them when the config has `external_mcp` servers).
 *
 * @example
 * const app = createFlowApp({ config: ['default', 'search'], ops: mcpOps });
 */
export const mcpOps: OpClass[] = [BaseMcpOp, McpToolsOp, TongyiMcpSearchOp, BochaMcpSearchOp];
