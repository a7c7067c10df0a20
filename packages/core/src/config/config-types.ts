// The validated configuration: every default filled in. Keep in step with `schema.ts`
// (test/config/schema-types.test.ts fails to typecheck when the two disagree).

/**
 * The fully validated configuration.
 *
 * @example
 * const { config } = loadConfig({ backends });
 * console.log(config.http.port, Object.keys(config.flow));
 */
export interface FlowllmConfig {
  backend: 'http' | 'mcp' | 'cmd';
  /** The OpenAPI title; `FLOW_APP_NAME` sets it in the built-in layer. */
  app_name: string;
  thread_pool_max_workers: number;
  /** Prompt language suffix, e.g. `zh`; `''` for none. */
  language: string;
  http: HttpConfig;
  mcp: McpConfig;
  cmd: CmdConfig;
  flow: Record<string, FlowConfig>;
  llm: Record<string, LlmConfig>;
  embedding_model: Record<string, EmbeddingModelConfig>;
  vector_store: Record<string, VectorStoreConfig>;
  /** Flows to serve; empty means all. */
  enabled_flows: string[];
  disabled_flows: string[];
  metadata: Record<string, unknown>;
}

/**
 * Where the HTTP server listens.
 *
 * @example
 * const http: HttpConfig = { host: '0.0.0.0', port: 8002 };
 */
export interface HttpConfig {
  host: string;
  port: number;
  /** Seconds between heartbeat comments on an idle stream; 0 turns them off. */
  heartbeat: number;
  /** Largest request body in bytes (413 beyond it). */
  body_limit: number;
  /** Show every failure's message to clients; otherwise unexpected errors are masked. */
  expose_errors: boolean;
  /** Seconds a stream may wait for its flow's first sign of life before `200` is sent anyway. */
  status_wait: number;
  /** Seconds graceful shutdown waits for streams to end before closing connections. */
  shutdown_timeout: number;
  /**
   * Seconds a client has to send a request's headers and body on the built-in server (`408` and the
   * connection closed after); 0 turns it off. Middleware follows its host server's timeouts.
   */
  body_timeout: number;
  /** Streams open at once; a new stream beyond it gets `503` with `Retry-After`. 0 for no cap. */
  max_streams: number;
  cors: CorsConfig;
}

/**
 * Cross-origin rules. `*` in `allow_origins` allows any origin, answered with `*` and never with
 * credentials; a listed origin is echoed, and only listed origins may get credentials.
 *
 * @example
 * const cors: CorsConfig = { enabled: true, allow_origins: ['https://app.example'], allow_methods: ['*'], allow_headers: ['*'], allow_credentials: true, expose_headers: [], max_age: 600 };
 */
export interface CorsConfig {
  enabled: boolean;
  allow_origins: string[];
  allow_methods: string[];
  allow_headers: string[];
  allow_credentials: boolean;
  expose_headers: string[];
  max_age: number;
}

/**
 * The MCP server settings.
 *
 * @example
 * const mcp: McpConfig = { transport: 'sse', host: '0.0.0.0', port: 8001 };
 */
export interface McpConfig {
  transport: 'stdio' | 'sse' | 'streamable-http';
  host: string;
  port: number;
}

/**
 * One flow run in the terminal (`backend=cmd`).
 *
 * @example
 * const cmd: CmdConfig = { flow: 'EchoOp()', params: { text: 'hi' } };
 */
export interface CmdConfig {
  flow: string;
  params: Record<string, unknown>;
}

/**
 * One flow, served at `POST /<name>`.
 *
 * @example
 * const flow: FlowConfig = { flow_content: 'ChatOp()', stream: false, description: '', timeout: 600, input_schema: {} };
 */
export interface FlowConfig {
  flow_content: string;
  stream: boolean;
  description: string;
  /** Seconds the flow may run before it fails with a timeout (504); `0` or `null` for no limit. */
  timeout: number | null;
  input_schema: Record<string, InputFieldConfig>;
}

/**
 * The type of a request field in a flow's `input_schema`.
 *
 * @example
 * const type: InputFieldType = 'string';
 */
export type InputFieldType = 'string' | 'array' | 'integer' | 'number' | 'boolean' | 'object';

/**
 * One request field of a flow.
 *
 * @example
 * const query: InputFieldConfig = { type: 'string', description: 'the question', required: true };
 */
export interface InputFieldConfig {
  type: InputFieldType;
  description: string;
  required: boolean;
  enum?: unknown[];
  /** The schema of each element, for `type: array`. */
  items?: InputFieldConfig;
  default?: unknown;
}

/**
 * A chat model entry; backend-specific keys sit beside the base keys.
 *
 * @example
 * const llm: LlmConfig = { backend: 'mock', model_name: 'mock-chat', params: {} };
 */
export interface LlmConfig {
  backend: string;
  model_name: string;
  params: Record<string, unknown>;
  [backendKey: string]: unknown;
}

/**
 * An embedding model entry; backend-specific keys sit beside the base keys.
 *
 * @example
 * const embedding: EmbeddingModelConfig = { backend: 'mock', model_name: 'mock-embedding', params: {} };
 */
export interface EmbeddingModelConfig {
  backend: string;
  model_name: string;
  params: Record<string, unknown>;
  [backendKey: string]: unknown;
}

/**
 * A vector store entry; `embedding_model` names an `embedding_model` entry.
 *
 * @example
 * const store: VectorStoreConfig = { backend: 'memory', embedding_model: 'default', params: {} };
 */
export interface VectorStoreConfig {
  backend: string;
  embedding_model: string;
  params: Record<string, unknown>;
  [backendKey: string]: unknown;
}
