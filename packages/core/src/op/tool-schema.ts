import type { InputFieldType } from '../config/config-types.js';
import type { ToolSpec } from '../models/types.js';

/**
 * One field of a tool's `input_schema` or `output_schema`, in FlowLLM's `ToolAttr` form — the same
 * form as a flow's `input_schema` field. `type` defaults to `string` and `required` to `true`.
 *
 * @example
 * const query: ToolAttr = { type: 'string', description: 'what to search for', required: true };
 */
export interface ToolAttr {
  type?: InputFieldType;
  description?: string;
  required?: boolean;
  enum?: unknown[];
  items?: ToolAttr;
  default?: unknown;
}

/**
 * What a tool op (or a tool flow) tells a model and an MCP client about itself: FlowLLM's `ToolCall`
 * description half.
 *
 * @example
 * const tool: ToolDescription = {
 *   name: 'web_search',
 *   description: 'Search the web.',
 *   input_schema: { query: { type: 'string', description: 'search terms' } },
 * };
 */
export interface ToolDescription {
  name: string;
  description: string;
  input_schema: Record<string, ToolAttr>;
  output_schema?: Record<string, ToolAttr>;
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of one field: `{type, description?, enum?, items?, default?}`. The one converter
 * behind model tools, MCP tools and the OpenAPI request schemas.
 *
 * @example
 * fieldJsonSchema({ type: 'array', items: { type: 'string' } }) // { type: 'array', items: { type: 'string' } }
 */
export function fieldJsonSchema(field: ToolAttr): JsonSchema {
  const schema: JsonSchema = { type: field.type ?? 'string' };
  if (field.description) schema.description = field.description;
  if (field.enum) schema.enum = field.enum;
  if (field.items) schema.items = fieldJsonSchema(field.items);
  if (field.default !== undefined) schema.default = field.default;
  return schema;
}

/**
 * The JSON Schema object of a set of fields, as FlowLLM builds a tool's `parameters`: `properties`
 * and a `required` list (fields whose `required` is not false and that have no `default`).
 *
 * @example
 * objectJsonSchema({ query: { type: 'string' } })
 * // { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] }
 */
export function objectJsonSchema(fields: Record<string, ToolAttr>): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = fieldJsonSchema(field);
    if (field.required !== false && field.default === undefined) required.push(name);
  }
  return { type: 'object', properties, required };
}

/**
 * A tool in the OpenAI `tools` format (the `anthropic` backend converts it to its own).
 *
 * @example
 * toOpenAiTool({ name: 'think_tool', description: 'Reflect.', input_schema: { reflection: {} } })
 * // { type: 'function', function: { name: 'think_tool', description: 'Reflect.', parameters: {…} } }
 */
export function toOpenAiTool(tool: ToolDescription): ToolSpec {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: objectJsonSchema(tool.input_schema),
    },
  };
}
