import type { ObjectSpec, RecordSpec } from './field-spec.js';

// The whole configuration schema, the one source of the config: runtime validation walks it,
// config-types.ts computes the TypeScript types from it and json-schema.ts the shipped JSON Schema.
// To add a key: one line here (and a row in docs/config.md). Declared `as const` so the types see
// every literal.

/** A free mapping of any keys and values (`params`, `metadata`). */
const freeMap = () => ({ type: 'record', default: {} }) as const satisfies RecordSpec;

/**
 * One request field of a flow's `input_schema`: `{ type, description, required, enum?, items?, default? }`.
 *
 * @example
 * INPUT_FIELD_SCHEMA.fields.required.default; // true
 */
export const INPUT_FIELD_SCHEMA = {
  type: 'object',
  fields: {
    type: {
      type: 'string',
      enum: ['string', 'array', 'integer', 'number', 'boolean', 'object'],
      default: 'string',
    },
    description: { type: 'string', default: '' },
    required: { type: 'boolean', default: true },
    enum: { type: 'array' },
    // Each element has the same keys, so the spec refers to itself (a getter breaks the cycle).
    get items(): ObjectSpec {
      return INPUT_FIELD_SCHEMA;
    },
    default: { type: 'any' },
  },
} as const satisfies ObjectSpec;

/**
 * Seconds a flow may run when its config names no `timeout`: ten minutes, so a stuck op or model
 * never holds a request (and its connection) forever.
 *
 * @example
 * DEFAULT_FLOW_TIMEOUT; // 600
 */
export const DEFAULT_FLOW_TIMEOUT = 600;

/**
 * One entry of `flow`: `{ flow_content, stream, description, timeout, input_schema }`.
 *
 * @example
 * FLOW_SCHEMA.fields.flow_content.required; // true
 */
export const FLOW_SCHEMA = {
  type: 'object',
  fields: {
    flow_content: {
      type: 'string',
      required: true,
      nonEmpty: true,
      description: 'the flow expression, e.g. GenSystemPromptOp() >> StreamChatOp()',
    },
    stream: { type: 'boolean', default: false, description: 'true: answer as a server-sent event stream' },
    description: { type: 'string', default: '' },
    // The max is setTimeout's limit (2^31 - 1 ms): a longer delay would fire at once.
    timeout: {
      type: 'number',
      min: 0,
      max: 2_147_483,
      nullable: true,
      default: DEFAULT_FLOW_TIMEOUT,
      description: 'seconds the flow may run (504 after); 0 or null for no limit',
    },
    input_schema: { type: 'record', values: INPUT_FIELD_SCHEMA, default: {} },
    output_schema: {
      type: 'record',
      values: INPUT_FIELD_SCHEMA,
      default: {},
      description: "the flow's outputs when it is offered as a tool; the same shape as input_schema",
    },
    // FlowLLM's cache of sync answers, keyed on the request.
    enable_cache: { type: 'boolean', default: false, description: 'cache sync answers on disk' },
    cache_path: {
      type: 'string',
      default: 'cache/{flow_name}',
      description: 'the cache folder; {flow_name} is replaced by the flow name',
    },
    cache_expire_hours: {
      type: 'number',
      min: 0,
      default: 0.1,
      description: 'hours a cached answer is reused',
    },
  },
} as const satisfies ObjectSpec;

/** The keys every model entry has; backend-specific keys come from the registered backends. */
const MODEL_ENTRY_FIELDS = {
  backend: { type: 'string', required: true, nonEmpty: true },
  model_name: { type: 'string', default: '' },
  params: freeMap(),
} as const satisfies ObjectSpec['fields'];

/**
 * `llm.<name>.token_count`: how `TokenCountOp` counts the tokens of a conversation for this model.
 * An entry without it gets the `base` estimate.
 *
 * @example
 * TOKEN_COUNT_SCHEMA.fields.backend.enum; // ['base', 'openai', 'hf']
 */
export const TOKEN_COUNT_SCHEMA = {
  type: 'object',
  fields: {
    backend: {
      type: 'string',
      enum: ['base', 'openai', 'hf'],
      default: 'base',
      description: 'base: characters / 4; openai: the model encoding (tiktoken); hf: the base estimate here',
    },
    model_name: { type: 'string', default: '', description: 'the tokenizer model; "" for the entry model' },
    params: freeMap(),
  },
} as const satisfies ObjectSpec;

const LLM = {
  type: 'object',
  backendKind: 'llm',
  fields: { ...MODEL_ENTRY_FIELDS, token_count: TOKEN_COUNT_SCHEMA },
} as const satisfies ObjectSpec;

const EMBEDDING_MODEL = {
  type: 'object',
  backendKind: 'embedding_model',
  fields: MODEL_ENTRY_FIELDS,
} as const satisfies ObjectSpec;

const VECTOR_STORE = {
  type: 'object',
  backendKind: 'vector_store',
  fields: {
    backend: { type: 'string', required: true, nonEmpty: true },
    embedding_model: { type: 'string', default: 'default' },
    params: freeMap(),
  },
} as const satisfies ObjectSpec;

const stringList = <const T extends readonly string[]>(fallback: T) =>
  ({ type: 'array', items: { type: 'string' }, default: fallback }) as const;

/** `http.cors`: FlowLLM's default is any origin, method and header, with credentials. */
const CORS_SCHEMA = {
  type: 'object',
  default: {},
  fields: {
    enabled: { type: 'boolean', default: true },
    allow_origins: stringList(['*']),
    allow_methods: stringList(['*']),
    allow_headers: stringList(['*']),
    // Off: with `*` it would let any page read answers with the visitor's cookies (validate.ts refuses the pair).
    allow_credentials: { type: 'boolean', default: false },
    expose_headers: stringList([]),
    max_age: { type: 'integer', min: 0, default: 600 },
  },
} as const satisfies ObjectSpec;

const stringMap = () => ({ type: 'record', values: { type: 'string' } }) as const satisfies RecordSpec;

/**
 * One entry of `external_mcp`, FlowLLM's client settings of an MCP server: `url` (with `type`,
 * `headers`, `timeout`) for a remote server, or `command` (with `args`, `env`, `cwd`) for a local
 * one. `{VAR}` in `headers.Authorization` is FlowLLM's environment placeholder, kept as written.
 *
 * @example
 * EXTERNAL_MCP_SCHEMA.fields.url.type; // 'string'
 */
export const EXTERNAL_MCP_SCHEMA = {
  type: 'object',
  fields: {
    type: { type: 'string', description: 'sse, streamable_http…; "" picks by the URL (/sse: SSE)' },
    url: { type: 'string', nonEmpty: true, description: 'a remote server: its URL' },
    headers: { ...stringMap(), description: 'request headers; {VAR} in Authorization reads the environment' },
    timeout: { type: 'number', exclusiveMin: 0, description: 'seconds to wait for a server event' },
    command: { type: 'string', nonEmpty: true, description: 'a local server: the command that starts it' },
    args: { type: 'array', items: { type: 'string' }, description: 'the command arguments' },
    env: { ...stringMap(), description: 'environment variables of the command' },
    cwd: { type: 'string', description: 'where the command runs' },
  },
} as const satisfies ObjectSpec;

/**
 * What a flow name must look like: it becomes a URL path (`POST /<name>`).
 *
 * @example
 * FLOW_NAME_PATTERN.test('demo_stream_http_flow'); // true
 * FLOW_NAME_PATTERN.test('my flow'); // false
 */
export const FLOW_NAME_PATTERN: RegExp = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The schema of the whole configuration file, top-level key → spec.
 *
 * @example
 * CONFIG_SCHEMA.fields.http; // { type: 'object', fields: { host, port }, default: {} }
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  fields: {
    backend: { type: 'string', enum: ['http', 'mcp', 'cmd'], default: 'http' },
    app_name: { type: 'string', default: 'FlowLLM', description: 'the OpenAPI title' },
    thread_pool_max_workers: { type: 'integer', min: 1, default: 128 },
    language: { type: 'string', default: '', description: 'prompt language suffix, e.g. zh; "" for none' },
    http: {
      type: 'object',
      default: {},
      fields: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', min: 0, max: 65535, default: 8002 },
        heartbeat: {
          type: 'number',
          min: 0,
          default: 15,
          description: 'seconds between heartbeat comments on an idle stream; 0 turns them off',
        },
        body_limit: {
          type: 'integer',
          min: 1,
          default: 1_048_576,
          description: 'largest request body in bytes (413 beyond it)',
        },
        docs: {
          type: 'boolean',
          default: true,
          description: 'serve the /docs playground (and its script and style); false turns it off',
        },
        expose_errors: {
          type: 'boolean',
          default: false,
          description: "show every failure's message to clients; otherwise unexpected errors are masked",
        },
        status_wait: {
          type: 'number',
          min: 0,
          default: 1,
          description: "seconds a stream waits for its flow's first sign of life before 200 is sent anyway",
        },
        shutdown_timeout: {
          type: 'number',
          min: 0,
          default: 10,
          description: 'seconds graceful shutdown waits for streams to end before closing connections',
        },
        body_timeout: {
          type: 'number',
          min: 0,
          max: 2_147_483,
          default: 30,
          description:
            "seconds a client has to send a request's headers and body (408 after); 0 turns it off",
        },
        max_streams: {
          type: 'integer',
          min: 0,
          default: 1000,
          description: 'streams open at once (503 with Retry-After beyond); 0 for no cap',
        },
        // FlowLLM's uvicorn settings; the built-in server (serve(), flowllm backend=http) honours them.
        timeout_keep_alive: {
          type: 'number',
          exclusiveMin: 0,
          max: 2_147_483,
          default: 3600,
          description: 'seconds an idle keep-alive connection stays open on the built-in server',
        },
        limit_concurrency: {
          type: 'integer',
          min: 0,
          default: 1000,
          description:
            'requests in flight at once on the built-in server (503 with Retry-After beyond); 0 for no cap',
        },
        cors: CORS_SCHEMA,
      },
    },
    mcp: {
      type: 'object',
      default: {},
      fields: {
        // FlowLLM's values; "" is its unset default (its MCP server refuses to start with it).
        transport: {
          type: 'string',
          enum: ['', 'stdio', 'http', 'sse', 'streamable-http'],
          default: 'sse',
        },
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', min: 0, max: 65535, default: 8001 },
        stateless: {
          type: 'boolean',
          default: false,
          description: 'streamable-http without sessions: every POST gets its own server',
        },
        allowed_origins: {
          type: 'array',
          items: { type: 'string' },
          default: [],
          description:
            'browser origins the HTTP transports accept ("*": any); [] accepts loopback origins on a loopback host, same-origin ones otherwise',
        },
        allowed_hosts: {
          type: 'array',
          items: { type: 'string' },
          default: [],
          description:
            'Host header names the HTTP transports accept besides localhost/127.0.0.1/[::1] on a loopback host; [] accepts any on other hosts',
        },
      },
    },
    resume: {
      type: 'object',
      default: {},
      fields: {
        // Not `off`: YAML 1.1 reads an unquoted off as false.
        backend: {
          type: 'string',
          enum: ['none', 'memory', 'redis'],
          default: 'none',
          description:
            'where resumable runs are logged: none (resume off, the wire unchanged), memory (one process) or redis (@flowllm/redis)',
        },
        redis_url: { type: 'string', default: '', description: 'redis: or rediss: URL, for backend redis' },
        key_prefix: {
          type: 'string',
          default: 'flowllm',
          description: 'prefix of every Redis key and channel: 1-64 of A-Z a-z 0-9 _ . : -',
        },
        ttl_seconds: {
          type: 'number',
          exclusiveMin: 0,
          max: 2_147_483,
          default: 3600,
          description: "seconds a run's log is kept after its last event",
        },
        max_events_per_run: {
          type: 'integer',
          min: 1,
          max: 1_000_000,
          default: 20000,
          description: 'events kept per run; older ones are dropped first',
        },
        detach_seconds: {
          type: 'number',
          min: 0,
          max: 2_147_483,
          default: 60,
          description:
            'seconds a run keeps going with no reader before it is aborted; 0 aborts on disconnect',
        },
        retry_ms: {
          type: 'integer',
          min: 0,
          max: 2_147_483_647,
          default: 1000,
          description: 'the SSE retry: hint (reconnect delay) sent on the first event',
        },
        lease_seconds: {
          type: 'number',
          exclusiveMin: 0,
          max: 2_147_483,
          default: 5,
          description: "seconds an owner's heartbeat lasts; bounds how soon a lost run is detected",
        },
      },
    },
    ui_stream: {
      type: 'object',
      default: {},
      fields: {
        enabled: {
          type: 'boolean',
          default: true,
          description:
            "POST /{flow}/ui for every stream flow: the AI SDK's UI message stream, what useChat reads",
        },
      },
    },
    telemetry: {
      type: 'object',
      default: {},
      fields: {
        enabled: {
          type: 'boolean',
          default: true,
          description:
            'OpenTelemetry GenAI spans and metrics through @opentelemetry/api; a no-op until the app registers an SDK',
        },
        record_content: {
          type: 'boolean',
          default: false,
          description:
            'put prompts, completions, tool arguments and results on spans (they may hold personal data)',
        },
        timeline: {
          type: 'boolean',
          default: false,
          description:
            "keep the last 200 runs' timelines in memory for GET {mount}/docs/timeline/{flow_id} (needs telemetry.enabled)",
        },
      },
    },
    openai_facade: {
      type: 'object',
      default: {},
      fields: {
        enabled: {
          type: 'boolean',
          default: false,
          description:
            'an OpenAI-compatible Chat Completions API over the flows (model = flow name); off by default since it answers paths outside the flows',
        },
        path: {
          type: 'string',
          default: '/v1',
          description:
            'where the facade answers, below the mount point: {path}/chat/completions, {path}/models',
        },
        api_keys: {
          type: 'array',
          items: { type: 'string' },
          default: [],
          description:
            'bearer tokens the facade accepts (also env FLOWLLM_OPENAI_API_KEYS, comma-separated); none: no check',
        },
        reasoning_field: {
          type: 'string',
          default: 'reasoning_content',
          description:
            'the delta/message field that carries think chunks (vLLM: reasoning_content or reasoning)',
        },
      },
    },
    cmd: {
      type: 'object',
      default: {},
      fields: { flow: { type: 'string', default: '' }, params: freeMap() },
    },
    flow: {
      type: 'record',
      values: FLOW_SCHEMA,
      keyPattern: FLOW_NAME_PATTERN,
      keyHint: 'it becomes a URL path',
      default: {},
    },
    llm: { type: 'record', values: LLM, default: {} },
    embedding_model: { type: 'record', values: EMBEDDING_MODEL, default: {} },
    vector_store: { type: 'record', values: VECTOR_STORE, default: {} },
    enabled_flows: { type: 'array', items: { type: 'string' }, default: [] },
    disabled_flows: { type: 'array', items: { type: 'string' }, default: [] },
    metadata: freeMap(),
    external_mcp: {
      type: 'record',
      values: EXTERNAL_MCP_SCHEMA,
      default: {},
      description: 'MCP servers whose tools ops may call, by name',
    },
    // FlowLLM start-up switches the port has no use for: validate.ts warns when one asks for what it cannot do.
    enable_logo: { type: 'boolean', default: true, description: 'accepted for FlowLLM compatibility' },
    init_logger: { type: 'boolean', default: true, description: 'accepted for FlowLLM compatibility' },
    ray_max_workers: { type: 'integer', default: -1, description: 'accepted for FlowLLM compatibility' },
  },
} as const satisfies ObjectSpec;
