import type { InputFieldConfig } from '../config/config-types.js';
import type { FlowApp } from '../engine/flow-app.js';
import { fieldJsonSchema } from '../op/tool-schema.js';
import { BASE_FIELDS } from './base-fields.js';
import { MESSAGE_ROLES } from './message-validation.js';
import { openAIPaths, protocolPaths } from './openapi-protocols.js';

type JsonSchema = Record<string, unknown>;

/** A flow's request fields: FlowLLM's base fields, then its `input_schema` (its own definition wins). */
function requestFields(inputSchema: Record<string, InputFieldConfig>): [string, InputFieldConfig][] {
  return Object.entries({ ...BASE_FIELDS, ...inputSchema });
}

function isRequired(field: InputFieldConfig): boolean {
  return field.required && field.default === undefined;
}

/** The JSON Schema of a request field; the base `messages` refers to FlowLLM's Message. */
function propertySchema(field: InputFieldConfig): JsonSchema {
  const schema = fieldJsonSchema(field);
  return field === BASE_FIELDS.messages
    ? { ...schema, items: { $ref: '#/components/schemas/Message' } }
    : schema;
}

function requestSchema(inputSchema: Record<string, InputFieldConfig>): JsonSchema {
  const fields = requestFields(inputSchema);
  const required = fields.filter(([, field]) => isRequired(field)).map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map(([name, field]) => [name, propertySchema(field)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: true,
  };
}

/** The query parameters of the GET (EventSource) variant; objects and `messages` are sent as JSON text. */
function queryParameters(inputSchema: Record<string, InputFieldConfig>): JsonSchema[] {
  return requestFields(inputSchema).map(([name, field]) => {
    const schema = propertySchema(field);
    const asJson = field.type === 'object' || field === BASE_FIELDS.messages;
    return {
      name,
      in: 'query',
      required: isRequired(field),
      ...(asJson ? { content: { 'application/json': { schema } } } : { schema }),
    };
  });
}

// FlowLLM's Message as a request may send it: only `role` is checked against a list, the rest by type.
const MESSAGE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    role: { type: 'string', enum: [...MESSAGE_ROLES], default: 'user' },
    content: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
      default: '',
    },
    name: { type: ['string', 'null'] },
    reasoning_content: { type: 'string' },
    tool_calls: { type: 'array', items: { type: 'object' } },
    tool_call_id: { type: 'string' },
    metadata: { type: 'object' },
  },
  additionalProperties: true,
};

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
 * The OpenAPI 3.1 document of an app: one operation per flow, the request schema from FlowLLM's base
 * fields (`query`, `messages`, `workspace_id`, `metadata`) merged with its `input_schema` (the flow's
 * own definition wins), the SSE response for stream flows, `{answer, success, metadata}` for sync ones.
 *
 * With `runs` (resume on), each stream flow also lists its run routes; with `protocols`, its
 * `/{flow}/{protocol}` routes; with `openaiPath`, the OpenAI facade's. Each is marked `x-flowllm-route`
 * so clients that list flows by their POST paths skip them.
 *
 * @example
 * const document = buildOpenApi(app); // document.paths['/demo_stream_http_flow'].post
 */
export function buildOpenApi(
  app: FlowApp,
  options: { runs?: boolean; protocols?: readonly string[]; openaiPath?: string } = {},
): JsonSchema {
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
          parameters: queryParameters(fields),
          responses: { '200': SSE_RESPONSE, ...ERROR_RESPONSES },
        }
      : undefined;
    paths[`/${name}`] = get ? { post, get } : { post };
    if (options.runs && flow.isStream) Object.assign(paths, runPaths(name));
    if (flow.isStream && options.protocols) Object.assign(paths, protocolPaths(name, options.protocols));
  }
  if (options.openaiPath) Object.assign(paths, openAIPaths(options.openaiPath));
  return {
    openapi: '3.1.0',
    info: { title: app.config.app_name, version: '1.0.0' },
    paths,
    components: {
      schemas: {
        FlowStreamChunk: CHUNK_SCHEMA,
        Message: MESSAGE_SCHEMA,
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
                  type: { type: 'string' },
                  loc: { type: 'array', items: { type: ['string', 'integer'] } },
                  msg: { type: 'string' },
                  input: {
                    description: 'The offending value; one over 256 characters of JSON is cut short.',
                  },
                },
                required: ['type', 'loc', 'msg'],
              },
            },
          },
        },
      },
    },
  };
}

const RUN_ID_PARAMETER = { name: 'flow_id', in: 'path', required: true, schema: { type: 'string' } };

/** `GET /{flow}/runs/{flow_id}` and `POST …/stop` of a stream flow (resume on). */
function runPaths(name: string): Record<string, JsonSchema> {
  const noRun = { description: "Unknown, expired, trimmed or fully read run, or another flow's" };
  const storeDown = { description: 'The resume store is unavailable (with `Retry-After`)' };
  return {
    [`/${name}/runs/{flow_id}`]: {
      get: {
        operationId: `${name}_run`,
        summary: `Resume a run of ${name}`,
        description:
          "Every event after `Last-Event-ID` (header, or `?last_event_id=`), then the live ones, then `[DONE]`; `?format=json` answers the run's state.",
        'x-flowllm-route': 'run',
        parameters: [
          RUN_ID_PARAMETER,
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'last_event_id', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } },
        ],
        responses: {
          '200': SSE_RESPONSE,
          '204': noRun,
          '400': { description: "A malformed Last-Event-ID, or one past the run's end" },
          '503': storeDown,
        },
      },
    },
    [`/${name}/runs/{flow_id}/stop`]: {
      post: {
        operationId: `${name}_run_stop`,
        summary: `Stop a run of ${name}`,
        'x-flowllm-route': 'run-stop',
        parameters: [RUN_ID_PARAMETER],
        responses: {
          '202': {
            description: '`{"flow_id","state"}`: `stopping`, or the state of a run that already ended',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '204': noRun,
          '503': storeDown,
        },
      },
    },
  };
}
