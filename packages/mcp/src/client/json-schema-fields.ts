import type { ToolAttr } from '@flowllm/core/ops';

type JsonSchema = Record<string, unknown>;
type FieldType = NonNullable<ToolAttr['type']>;

const FIELD_TYPES: ReadonlySet<string> = new Set([
  'string',
  'array',
  'integer',
  'number',
  'boolean',
  'object',
]);

/**
 * An MCP tool's `inputSchema` (JSON Schema) as FlowLLM tool fields (`type`, `description`,
 * `required`, `enum`, `items`, `default`), as FlowLLM's `ToolCall.from_mcp_tool` reads it — except
 * that a property the schema leaves out of `required` stays optional (FlowLLM marks every field
 * required). A field with several types keeps the first that is not `null`; one without a type is
 * guessed from its `enum`, `items` or `properties`, else `string`.
 *
 * @example
 * toolFields({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] });
 * // { q: { type: 'string', required: true } }
 */
export function toolFields(inputSchema: JsonSchema | undefined): Record<string, ToolAttr> {
  const properties = isObject(inputSchema?.properties) ? inputSchema.properties : {};
  const required = new Set(Array.isArray(inputSchema?.required) ? inputSchema.required : []);
  const fields: Record<string, ToolAttr> = {};
  for (const [name, property] of Object.entries(properties)) {
    fields[name] = { ...toolField(isObject(property) ? property : {}), required: required.has(name) };
  }
  return fields;
}

function toolField(schema: JsonSchema): ToolAttr {
  const branch = firstBranch(schema);
  const field: ToolAttr = { type: fieldType(branch) };
  const description = schema.description ?? branch.description;
  if (typeof description === 'string' && description !== '') field.description = description;
  const values = branch.enum ?? (branch.const === undefined ? undefined : [branch.const]);
  if (Array.isArray(values)) field.enum = values;
  if (field.type === 'array' && isObject(branch.items)) field.items = toolField(branch.items);
  if (schema.default !== undefined) field.default = schema.default;
  return field;
}

// `anyOf: [{type: 'string'}, {type: 'null'}]` (an optional value in pydantic's and zod's output).
function firstBranch(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (schema.type !== undefined || !Array.isArray(branches)) return schema;
  return (branches.find((branch) => isObject(branch) && branch.type !== 'null') as JsonSchema) ?? schema;
}

function fieldType(schema: JsonSchema): FieldType {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (type): type is FieldType => typeof type === 'string' && FIELD_TYPES.has(type),
  );
  if (types[0]) return types[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return valueType(schema.enum[0]);
  if (schema.items !== undefined) return 'array';
  if (schema.properties !== undefined) return 'object';
  return 'string';
}

function valueType(value: unknown): FieldType {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
