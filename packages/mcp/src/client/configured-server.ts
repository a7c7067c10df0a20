import type { OpSetup } from '@flowllm/core/ops';

/**
 * The start-up problem of an MCP op naming a server the config's `external_mcp` lacks (ops do not
 * connect before a request, so this is the moment to say it), or undefined.
 *
 * @example
 * unconfiguredServer('McpToolsOp', 'files', setup); // "McpToolsOp: MCP server 'files' is not in the config's external_mcp; configured: echo"
 */
export function unconfiguredServer(className: string, server: string, setup: OpSetup): string | undefined {
  if (setup.externalMcpServers.includes(server)) return undefined;
  const known = setup.externalMcpServers.join(', ') || 'none';
  return `${className}: MCP server '${server}' is not in the config's external_mcp; configured: ${known}`;
}
