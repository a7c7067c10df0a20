import type { InputFieldConfig } from '../config/config-types.js';
import type { FlowApp } from '../engine/flow-app.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema of one `input_schema` field. */
export function fieldSchema(field: InputFieldConfig): JsonSchema {
  const schema: JsonSchema = { type: field.type };
  if (field.description) schema.description = field.description;
  if (field.enum) schema.enum = field.enum;
  if (field.items) schema.items = fieldSchema(field.items);
  if (field.default !== undefined) schema.default = field.default;
  return schema;
}

function requestSchema(fields: Record<string, InputFieldConfig>): JsonSchema {
  const required = Object.entries(fields)
    .filter(([, field]) => field.required && field.default === undefined)
    .map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, fieldSchema(field)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: true,
  };
}

const CHUNK_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    flow_id: { type: 'string' },
    chunk_type: { type: 'string', enum: ['think', 'answer', 'tool', 'usage', 'error'] },
    chunk: { type: ['string', 'object', 'array'] },
    done: { type: 'boolean' },
    metadata: { type: 'object' },
  },
  required: ['flow_id', 'chunk_type', 'chunk', 'done', 'metadata'],
};

const SSE_RESPONSE = {
  description:
    'Server-Sent Events: one `data:{chunk}` event per chunk (see FlowStreamChunk), ending with `data:[DONE]`.',
  content: {
    'text/event-stream': {
      schema: { type: 'string' },
      // OpenAPI 3.1 has no itemSchema (3.2 has): the event payload is named in an extension.
      'x-event-data': { $ref: '#/components/schemas/FlowStreamChunk' },
    },
  },
};

const ERROR_RESPONSES = {
  '422': {
    description: 'Validation error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } },
  },
};

/**
 * The OpenAPI 3.1 document of an app: one operation per flow, the request schema from its
 * `input_schema`, the SSE response for stream flows, `{answer, success, metadata}` for sync ones.
 *
 * @example
 * const document = buildOpenApi(app); // document.paths['/demo_stream_http_flow'].post
 */
export function buildOpenApi(app: FlowApp): JsonSchema {
  const paths: Record<string, JsonSchema> = {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Health check',
        responses: {
          '200': {
            description: '`{"status":"healthy"}`',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  };
  for (const [name, flow] of app.flows) {
    const fields = flow.config.input_schema;
    const post = {
      operationId: name,
      summary: flow.config.description || name,
      description: flow.config.description,
      requestBody: { required: true, content: { 'application/json': { schema: requestSchema(fields) } } },
      responses: {
        '200': flow.isStream
          ? SSE_RESPONSE
          : {
              description: 'The flow answer',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/FlowResponse' } } },
            },
        ...ERROR_RESPONSES,
      },
    };
    const get = flow.isStream
      ? {
          operationId: `${name}_event_source`,
          summary: `${flow.config.description || name} (EventSource)`,
          description:
            'The same stream for a browser `EventSource`: events carry `id:` and end with `event: done`.',
          parameters: Object.entries(fields).map(([field, spec]) => ({
            name: field,
            in: 'query',
            required: spec.required && spec.default === undefined,
            schema: fieldSchema(spec),
          })),
          responses: { '200': SSE_RESPONSE, ...ERROR_RESPONSES },
        }
      : undefined;
    paths[`/${name}`] = get ? { post, get } : { post };
  }
  return {
    openapi: '3.1.0',
    info: { title: app.config.app_name, version: '1.0.0' },
    paths,
    components: {
      schemas: {
        FlowStreamChunk: CHUNK_SCHEMA,
        FlowResponse: {
          type: 'object',
          properties: {
            answer: { type: ['string', 'object', 'array'] },
            success: { type: 'boolean' },
            metadata: { type: 'object' },
          },
          required: ['answer', 'success', 'metadata'],
        },
        HTTPValidationError: {
          type: 'object',
          properties: {
            detail: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  loc: { type: 'array', items: { type: ['string', 'integer'] } },
                  msg: { type: 'string' },
                  type: { type: 'string' },
                },
                required: ['loc', 'msg', 'type'],
              },
            },
          },
        },
      },
    },
  };
}
