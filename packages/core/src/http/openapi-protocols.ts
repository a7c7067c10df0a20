/** OpenAPI paths of the routes beside FlowLLM's: the stream protocols below each flow and the OpenAI facade. */
type JsonSchema = Record<string, unknown>;

const SSE_CONTENT = { 'text/event-stream': { schema: { type: 'string' } } };

const UI_BODY: JsonSchema = {
  type: 'object',
  description:
    "`useChat`'s request: the chat's id, its UI messages, the trigger; other fields go to the flow.",
  properties: {
    id: { type: 'string' },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          role: { type: 'string', enum: ['system', 'user', 'assistant'] },
          parts: { type: 'array', items: { type: 'object' } },
        },
        required: ['role', 'parts'],
      },
    },
    trigger: { type: 'string', enum: ['submit-message', 'regenerate-message'] },
    messageId: { type: 'string' },
  },
  required: ['messages'],
  additionalProperties: true,
};

/**
 * `POST /{flow}/{protocol}` for each served protocol (and `GET /{flow}/ui/{chatId}/stream` with `ui`),
 * marked `x-flowllm-route` so clients that list flows by their POST paths skip them.
 */
export function protocolPaths(name: string, protocols: readonly string[]): Record<string, JsonSchema> {
  const paths: Record<string, JsonSchema> = {};
  for (const protocol of protocols) {
    const ui = protocol === 'ui';
    paths[`/${name}/${protocol}`] = {
      post: {
        operationId: `${name}_${protocol}`,
        summary: ui ? `${name} as an AI SDK UI message stream (useChat)` : `${name} as ${protocol}`,
        'x-flowllm-route': ui ? 'ui' : 'protocol',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ui ? UI_BODY : { type: 'object' } } },
        },
        responses: {
          '200': {
            description: ui ? 'UI message stream v1 (`x-vercel-ai-ui-message-stream: v1`)' : 'The stream',
            content: SSE_CONTENT,
          },
          '422': { description: 'Validation error' },
        },
      },
    };
    if (ui)
      paths[`/${name}/ui/{chatId}/stream`] = {
        get: {
          operationId: `${name}_ui_resume`,
          summary: `Resume the chat's running stream of ${name} (useChat resume)`,
          'x-flowllm-route': 'ui-resume',
          parameters: [{ name: 'chatId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The run from its start, then live', content: SSE_CONTENT },
            '204': { description: 'No active stream (always, with resume off)' },
          },
        },
      };
  }
  return paths;
}

/** The OpenAI facade's routes under `path` (`openai_facade.enabled`). */
export function openAIPaths(path: string): Record<string, JsonSchema> {
  const json = { 'application/json': { schema: { type: 'object' } } };
  const errors = {
    '400': { description: 'OpenAI error object' },
    '401': { description: 'Missing or wrong API key' },
  };
  return {
    [`${path}/chat/completions`]: {
      post: {
        operationId: 'openai_chat_completions',
        summary: 'OpenAI-compatible Chat Completions: `model` is a flow name',
        'x-flowllm-route': 'openai',
        requestBody: { required: true, content: json },
        responses: {
          '200': {
            description: '`chat.completion`, or `chat.completion.chunk` events with `stream: true`',
            content: { ...json, ...SSE_CONTENT },
          },
          '404': { description: 'No flow of that name (`model_not_found`)' },
          ...errors,
        },
      },
    },
    [`${path}/models`]: {
      get: {
        operationId: 'openai_models',
        summary: 'The flows as OpenAI models',
        'x-flowllm-route': 'openai',
        responses: { '200': { description: '`{object: "list", data: [...]}`', content: json }, ...errors },
      },
    },
    [`${path}/models/{model}`]: {
      get: {
        operationId: 'openai_model',
        summary: 'One flow as an OpenAI model',
        'x-flowllm-route': 'openai',
        parameters: [{ name: 'model', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: '`{id, object: "model", created, owned_by}`', content: json },
          '404': { description: 'No flow of that name' },
          ...errors,
        },
      },
    },
  };
}
