import { BaseMcpOp } from './base-mcp-op.js';

/**
 * FlowLLM's `TongyiMcpSearchOp`: web search through Bailian's `bailian_web_search` tool, on the
 * `tongyi_search` server of FlowLLM's `search` config (`config=default,search`, key in
 * `BAILIAN_MCP_API_KEY`). `count` is optional and the server's `ctx` field is not offered.
 *
 * @example
 * // flow_content: ReactAgentOp() << TongyiMcpSearchOp()
 */
export class TongyiMcpSearchOp extends BaseMcpOp {
  static override options: Record<string, unknown> = {
    mcp_name: 'tongyi_search',
    tool_name: 'bailian_web_search',
    input_schema_optional: ['count'],
    input_schema_deleted: ['ctx'],
  };
}

/**
 * FlowLLM's `BochaMcpSearchOp`: web search through BochaAI's `bocha_web_search` tool, on the
 * `bochaai_search` server of FlowLLM's `search` config. `freshness` and `count` are optional and the
 * server's `ctx` field is not offered.
 *
 * @example
 * // flow_content: ReactAgentOp() << BochaMcpSearchOp()
 */
export class BochaMcpSearchOp extends BaseMcpOp {
  static override options: Record<string, unknown> = {
    mcp_name: 'bochaai_search',
    tool_name: 'bocha_web_search',
    input_schema_optional: ['freshness', 'count'],
    input_schema_deleted: ['ctx'],
  };
}
