import type { BackendKeys, ConfigBackends } from './field-spec.js';

// The extra config keys of the built-in model backends. They live beside the config schema because
// they are part of it: runtime validation (through each backend's `keys`), the typed config input
// and the shipped JSON Schema are all computed from these objects.

/**
 * Config keys every networked model backend takes beside `api_key` and `base_url`: `max_retries` (2),
 * `retry_delay` (1 s), `max_retry_wait` (20 s), `timeout` (120 s). Reuse them in your own backends.
 *
 * @example
 * const myBackend: BackendDefinition<'llm'> = { kind: 'llm', name: 'mine', keys: { ...RETRY_KEYS }, create: (entry) => new MyLlm(entry) };
 */
export const RETRY_KEYS = {
  max_retries: {
    type: 'integer',
    min: 0,
    max: 10,
    default: 2,
    description:
      'retries of a call that failed before its first token (429, 5xx, timeouts, lost connections)',
  },
  retry_delay: {
    type: 'number',
    min: 0,
    default: 1,
    description: 'seconds before the first retry, doubled for each next one',
  },
  max_retry_wait: {
    type: 'number',
    min: 0,
    default: 20,
    description: 'the longest pause before a retry, in seconds; a longer retry-after fails at once',
  },
  timeout: {
    type: 'number',
    exclusiveMin: 0,
    default: 120,
    description: 'seconds to wait for the provider to answer, and for each next streamed event',
  },
} as const satisfies BackendKeys;

const CONNECTION_KEYS = {
  api_key: { type: 'string', description: 'the API key; default from the environment' },
  base_url: { type: 'string', description: 'the API base URL; default from the environment' },
  ...RETRY_KEYS,
} as const satisfies BackendKeys;

/** What one mock reply may say; a `script` entry adds `match`. */
const MOCK_REPLY_KEYS = {
  answer: { type: 'string', description: 'answer text; {input} is the last user message' },
  think: { type: 'string', description: 'think text streamed before the answer' },
  tool_calls: {
    type: 'array',
    items: {
      type: 'object',
      fields: { name: { type: 'string', required: true, nonEmpty: true }, arguments: { type: 'any' } },
    },
    description: 'tool calls: {name, arguments}',
  },
  error: { type: 'string', description: 'fail the stream with this message' },
  error_after: { type: 'integer', min: 0, description: 'answer tokens streamed before `error`' },
  connect_error: { type: 'string', description: 'fail before connecting, like an unreachable model' },
} as const satisfies BackendKeys;

const MOCK_LLM_KEYS = {
  ...MOCK_REPLY_KEYS,
  token_delay_ms: { type: 'integer', min: 0, default: 0, description: 'pause between tokens' },
  first_token_delay_ms: {
    type: 'integer',
    min: 0,
    default: 0,
    description: 'pause before the first token',
  },
  usage: { type: 'boolean', default: true, description: 'end with a usage chunk' },
  script: {
    type: 'array',
    default: [],
    items: {
      type: 'object',
      fields: { match: { type: 'string' }, match_tool: { type: 'string' }, ...MOCK_REPLY_KEYS },
    },
    description:
      'replies chosen by the first `match` regex found in the last user message (and `match_tool` in a tool result the conversation ends with)',
  },
} as const satisfies BackendKeys;

/**
 * The extra keys of every built-in backend, by kind and name. Each built-in `BackendDefinition`
 * takes its `keys` from here, so this object is what the config types and JSON Schema describe.
 *
 * @example
 * Object.keys(BUILTIN_BACKEND_KEYS.llm); // ['mock', 'openai_compatible', 'anthropic']
 */
export const BUILTIN_BACKEND_KEYS = {
  llm: { mock: MOCK_LLM_KEYS, openai_compatible: CONNECTION_KEYS, anthropic: CONNECTION_KEYS },
  embedding_model: {
    mock: { dimensions: { type: 'integer', min: 1, max: 65536, default: 64 } },
    openai_compatible: {
      ...CONNECTION_KEYS,
      dimensions: { type: 'integer', min: 1, description: 'vector size to ask for' },
    },
  },
  vector_store: {
    memory: {
      store_dir: {
        type: 'string',
        default: './memory_vector_store',
        description: 'where dump_workspace / load_workspace write and read by default',
      },
    },
    local: {
      store_dir: {
        type: 'string',
        nonEmpty: true,
        default: './local_vector_store',
        description: 'the directory of the workspace files (<workspace_id>.jsonl)',
      },
    },
  },
} as const satisfies ConfigBackends;
