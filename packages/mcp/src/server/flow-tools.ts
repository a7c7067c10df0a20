import type { Flow, FlowApp } from '@flowllm/core';
import { objectJsonSchema } from '@flowllm/core/ops';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * A served flow as an MCP tool: named after the flow, described by its `description`, its
 * `inputSchema` built from `input_schema` (types, `required` list, `enum`, `items`) — the same JSON
 * Schema the flow offers a model. No `outputSchema`: an MCP client then requires every result to carry
 * matching `structuredContent`, and most flows answer text.
 *
 * @example
 * const tool = flowTool(app.flow('search'));
 * // { name: 'search', description: 'Search the web.', inputSchema: { type: 'object', properties: {…}, required: ['query'] } }
 */
export function flowTool(flow: Flow): Tool {
  const { name, description, input_schema } = flow.tool;
  return {
    name,
    description,
    inputSchema: objectJsonSchema(input_schema) as Tool['inputSchema'],
  };
}

/**
 * Every served flow as an MCP tool, sync and stream ones (FlowLLM lists the sync ones only).
 *
 * @example
 * const names = flowTools(app).map((tool) => tool.name);
 */
export function flowTools(app: FlowApp): Tool[] {
  return [...app.flows.values()].map(flowTool);
}
