// The validated configuration types, computed from the schema (schema.ts): adding a key there adds
// it here. Only the self-referencing `items` of an input field is spelled out, as TypeScript cannot
// follow the schema's getter.
import type { CONFIG_SCHEMA, FLOW_SCHEMA, INPUT_FIELD_SCHEMA, TOKEN_COUNT_SCHEMA } from './schema.js';
import type { ValidatedFields, ValidatedOf } from './spec-types.js';

type Fields = (typeof CONFIG_SCHEMA)['fields'];

/**
 * The fully validated configuration.
 *
 * @example
 * const { config } = loadConfig({ backends });
 * console.log(config.http.port, Object.keys(config.flow));
 */
export interface FlowllmConfig extends Omit<ValidatedFields<Fields>, 'flow'> {
  flow: Record<string, FlowConfig>;
}

/**
 * Where the HTTP server listens, and how it treats requests and streams (see docs/config.md).
 *
 * @example
 * const port: HttpConfig['port'] = 8002;
 */
export type HttpConfig = FlowllmConfig['http'];

/**
 * Cross-origin rules. `*` in `allow_origins` allows any origin, answered with `*` and never with
 * credentials; a listed origin is echoed, and only listed origins may get credentials.
 *
 * @example
 * const cors: CorsConfig = { enabled: true, allow_origins: ['https://app.example'], allow_methods: ['*'], allow_headers: ['*'], allow_credentials: true, expose_headers: [], max_age: 600 };
 */
export type CorsConfig = HttpConfig['cors'];

/**
 * The MCP server settings.
 *
 * @example
 * const mcp: McpConfig = { transport: 'sse', host: '0.0.0.0', port: 8001 };
 */
export type McpConfig = FlowllmConfig['mcp'];

/**
 * One flow run in the terminal (`backend=cmd`).
 *
 * @example
 * const cmd: CmdConfig = { flow: 'EchoOp()', params: { text: 'hi' } };
 */
export type CmdConfig = FlowllmConfig['cmd'];

/**
 * Resumable runs (`resume:`): off (`backend: none`) by default, so the wire stays FlowLLM's.
 *
 * @example
 * const resume: ResumeSettings = { backend: 'memory', redis_url: '', key_prefix: 'flowllm', ttl_seconds: 3600,
 *   max_events_per_run: 20000, detach_seconds: 60, retry_ms: 1000, lease_seconds: 5 };
 */
export type ResumeSettings = FlowllmConfig['resume'];

/**
 * One flow, served at `POST /<name>`; `timeout` is in seconds, `0` or `null` for no limit.
 *
 * @example
 * const flow: FlowConfig = { flow_content: 'ChatOp()', stream: false, description: '', timeout: 600, input_schema: {} };
 */
export interface FlowConfig
  extends Omit<FlowFields, 'input_schema' | OptionalFlowKey>,
    Partial<Pick<FlowFields, CacheKey>> {
  input_schema: Record<string, InputFieldConfig>;
  output_schema?: Record<string, InputFieldConfig>;
}

type FlowFields = ValidatedFields<(typeof FLOW_SCHEMA)['fields']>;
// Always set in a validated config, yet optional here so a flow made in code (an expression run by
// `backend=cmd`) need not spell FlowLLM's tool and cache keys.
type CacheKey = 'enable_cache' | 'cache_path' | 'cache_expire_hours';
type OptionalFlowKey = 'output_schema' | CacheKey;

/**
 * The type of a request field in a flow's `input_schema`.
 *
 * @example
 * const type: InputFieldType = 'string';
 */
export type InputFieldType = InputFieldConfig['type'];

/**
 * One request field of a flow; `items` is the schema of each element, for `type: array`.
 *
 * @example
 * const query: InputFieldConfig = { type: 'string', description: 'the question', required: true };
 */
export interface InputFieldConfig extends Omit<ValidatedOf<typeof INPUT_FIELD_SCHEMA>, 'items'> {
  items?: InputFieldConfig;
}

/**
 * A chat model entry; backend-specific keys sit beside the base keys.
 *
 * @example
 * const llm: LlmConfig = { backend: 'mock', model_name: 'mock-chat', params: {} };
 */
export type LlmConfig = ValidatedOf<Fields['llm']['values']>;

/**
 * An llm entry's `token_count`: how `TokenCountOp` counts tokens for that model.
 *
 * @example
 * const tokenCount: TokenCountConfig = { backend: 'openai', model_name: 'gpt-4o', params: {} };
 */
export type TokenCountConfig = ValidatedOf<typeof TOKEN_COUNT_SCHEMA>;

/**
 * An embedding model entry; backend-specific keys sit beside the base keys.
 *
 * @example
 * const embedding: EmbeddingModelConfig = { backend: 'mock', model_name: 'mock-embedding', params: {} };
 */
export type EmbeddingModelConfig = ValidatedOf<Fields['embedding_model']['values']>;

/**
 * A vector store entry; `embedding_model` names an `embedding_model` entry.
 *
 * @example
 * const store: VectorStoreConfig = { backend: 'memory', embedding_model: 'default', params: {} };
 */
export type VectorStoreConfig = ValidatedOf<Fields['vector_store']['values']>;
