import { FlowllmError } from '@flowllm/core';
import { BaseOp, type BaseToolOp, OpConfigError, type OpSetup, type ToolProvider } from '@flowllm/core/ops';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { BaseMcpOp } from './base-mcp-op.js';
import { unconfiguredServer } from './configured-server.js';
import { toolFields } from './json-schema-fields.js';
import { mcpPool } from './pool.js';
import { checkTimeoutOption, mcpTimeoutMs } from './timeout.js';

/**
 * Every tool of an `external_mcp` server, offered to an agent: `ReactAgentOp() << McpToolsOp(server="name")`.
 * The agent asks for the tools once per run; the server lists them once per connection (kept across
 * requests), and each becomes a {@link BaseMcpOp}. A server that cannot be reached within `timeout`
 * fails the agent with an error naming it — or, with `raise_exception=False`, is reported and offers
 * no tools.
 *
 * Options: `server` (an `external_mcp` name), `tools` (only these tool names; default all), `timeout`
 * (seconds for connecting, listing and each call; default: the server's `timeout`, else 30).
 *
 * Run on its own (`cmd.flow='McpToolsOp(server="echo")'`) it answers the server's tools as JSON.
 *
 * @example
 * // flow_content: ReactAgentOp(max_steps=5) << McpToolsOp(server="tongyi_search", tools=["bailian_web_search"])
 */
export class McpToolsOp extends BaseOp implements ToolProvider {
  static override options: Record<string, unknown> = { server: '', tools: null, timeout: null };

  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    const server = this.option('server');
    if (typeof server !== 'string' || server === '') {
      throw new OpConfigError(`${this.constructor.name}: option 'server' must name an external_mcp server`);
    }
    const tools = this.option('tools');
    if (tools !== null && !(Array.isArray(tools) && tools.every((name) => typeof name === 'string'))) {
      throw new OpConfigError(`${this.constructor.name}: option 'tools' must be a list of tool names`);
    }
    checkTimeoutOption(this.constructor.name, this.option('timeout'));
  }

  override checkSetup(setup: OpSetup): string | undefined {
    return unconfiguredServer(this.constructor.name, this.server, setup);
  }

  get server(): string {
    return this.option<string>('server');
  }

  async provideTools(signal: AbortSignal): Promise<BaseToolOp[]> {
    let tools: Tool[];
    try {
      tools = await this.listed(signal);
    } catch (error) {
      if (this.common.raise_exception || signal.aborted) throw error;
      await this.context.reportError(this.constructor.name, error);
      return [];
    }
    const timeout = this.option<number | null>('timeout');
    return tools.map(
      (tool) =>
        new BaseMcpOp({
          mcp_name: this.server,
          tool_name: tool.name,
          description: tool.description ?? '',
          input_schema: toolFields(tool.inputSchema),
          ...(timeout !== null && { timeout }),
        }),
    );
  }

  async execute(): Promise<void> {
    const tools = await this.provideTools(this.signal);
    this.context.response.answer = JSON.stringify(tools.map((op) => op.bind(this.context).tool));
  }

  /** The server's tools, only the wanted ones; a wanted name the server lacks is an error. */
  private async listed(signal: AbortSignal): Promise<Tool[]> {
    const tools = await mcpPool(this.context.resources).listTools(this.server, {
      signal,
      timeoutMs: mcpTimeoutMs(this, this.server),
    });
    const wanted = this.option<string[] | null>('tools');
    if (wanted === null) return tools;
    const missing = wanted.filter((name) => !tools.some((tool) => tool.name === name));
    if (missing.length > 0) {
      const names = tools.map((tool) => tool.name).join(', ') || 'none';
      throw new FlowllmError(
        'FLOWLLM_TOOL',
        `MCP server '${this.server}' has no tool ${missing.map((name) => `'${name}'`).join(', ')}; its tools: ${names}`,
        { expose: true },
      );
    }
    return tools.filter((tool) => wanted.includes(tool.name));
  }
}
