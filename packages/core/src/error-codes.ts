/**
 * What an error code means and which HTTP statuses a request it fails is answered with.
 *
 * @example
 * const info: FlowllmErrorCodeInfo = FLOWLLM_ERROR_CODES.FLOWLLM_TIMEOUT; // { statuses: [504], meaning: '…' }
 */
export interface FlowllmErrorCodeInfo {
  /** What went wrong, for docs/errors.md. */
  readonly meaning: string;
  /**
   * The statuses of a response this error answers before the stream started, the usual one first.
   * Empty when it never answers a request: raised at start-up, by the CLI, or in a client.
   * Once a stream has started it arrives as an `error` chunk instead.
   */
  readonly statuses: readonly number[];
}

const codes = <const T extends Record<`FLOWLLM_${string}`, FlowllmErrorCodeInfo>>(table: T) => table;

// Every code flowllm throws, once. docs/errors.md is checked against this table by a test, and so is
// every `FLOWLLM_*` literal in packages/core/src: a new code cannot go undocumented.
/**
 * Every stable `code` of a {@link FlowllmError} flowllm throws, with its meaning and HTTP statuses.
 *
 * @example
 * FLOWLLM_ERROR_CODES.FLOWLLM_UNKNOWN_FLOW.statuses; // [404]
 * Object.keys(FLOWLLM_ERROR_CODES).length; // every code
 */
export const FLOWLLM_ERROR_CODES = codes({
  FLOWLLM_ABORTED: {
    meaning:
      'The flow was stopped from outside: the client disconnected, the caller aborted its signal, or the server shut down (503 if no response had started).',
    statuses: [503],
  },
  FLOWLLM_CMD: {
    meaning: "The CLI's `cmd.flow` names no served flow and does not parse as a flow expression either.",
    statuses: [],
  },
  FLOWLLM_CONFIG: {
    meaning: 'The config cannot load: every problem is listed with its file:line:col (`ConfigError`).',
    statuses: [],
  },
  FLOWLLM_FLOW_EXPRESSION: {
    meaning:
      'A flow expression (`flow_content`) does not parse, at a line and column (`FlowExpressionError`).',
    statuses: [],
  },
  FLOWLLM_HTTP: {
    meaning:
      'The service refused the request (`HttpError`): a bad or too large body, a wrong method or content type, a disallowed CORS origin, an invalid input, too many streams, or shutting down.',
    statuses: [400, 403, 405, 413, 415, 422, 503],
  },
  FLOWLLM_INPUT: {
    meaning:
      "A chat op's request input is unusable: no `query` or `messages`, or a message of the wrong shape.",
    statuses: [422, 500],
  },
  FLOWLLM_MOCK_SCRIPT: {
    meaning: "A `mock` model's `script` entry has a `match` that is not a valid regular expression.",
    statuses: [],
  },
  FLOWLLM_MODEL_AUTH: {
    meaning: 'The model provider refused the API key (HTTP 401) or denied access (HTTP 403).',
    statuses: [502],
  },
  FLOWLLM_MODEL_CONFIG: {
    meaning: 'A model backend cannot be built from its config entry, e.g. it has no API key.',
    statuses: [],
  },
  FLOWLLM_MODEL_ERROR: {
    meaning: "A `mock` model's scripted reply is an error.",
    statuses: [502],
  },
  FLOWLLM_MODEL_NOT_FOUND: {
    meaning: 'The model provider answered 404: check the model name and `base_url`.',
    statuses: [502],
  },
  FLOWLLM_MODEL_RATE_LIMITED: {
    meaning: 'The model provider answered 429 after every retry.',
    statuses: [502],
  },
  FLOWLLM_MODEL_REQUEST: {
    meaning: 'The model provider refused the request with another 4xx status.',
    statuses: [502],
  },
  FLOWLLM_MODEL_STREAM: {
    meaning:
      "The model's stream broke off, ended early, was malformed or carried an error, or a tool call's arguments are not JSON.",
    statuses: [502],
  },
  FLOWLLM_MODEL_TIMEOUT: {
    meaning: "The model provider did not answer, or its stream stalled, within the entry's `timeout`.",
    statuses: [504],
  },
  FLOWLLM_MODEL_UNAVAILABLE: {
    meaning: 'The model provider failed with a 5xx status after every retry.',
    statuses: [502],
  },
  FLOWLLM_MODEL_UNREACHABLE: {
    meaning: 'The model provider could not be connected to (e.g. ECONNREFUSED) after every retry.',
    statuses: [502],
  },
  FLOWLLM_OP: {
    meaning:
      'An op used its API wrongly: it read an option it does not declare, or its context outside a run.',
    statuses: [500],
  },
  FLOWLLM_OP_CONFIG: {
    meaning:
      'An op was built with options it cannot take (wrong type, unknown resource, bad sub-op); raised at start-up.',
    statuses: [],
  },
  FLOWLLM_OP_FAILED: {
    meaning:
      "An op failed after its retries (`OpFailedError`); it carries its cause's status and visibility (a model's 502 stays a 502), 500 for a plain error.",
    statuses: [500, 400, 422, 502, 504],
  },
  FLOWLLM_OP_REGISTRY: {
    meaning:
      "An op class cannot be registered: it does not extend `BaseOp`, its name does not end in 'Op', or the name is taken.",
    statuses: [],
  },
  FLOWLLM_PROMPT: {
    meaning: 'A prompt file cannot be read or parsed, a prompt is missing, or a template lacks a value.',
    statuses: [500],
  },
  FLOWLLM_RESUME_STORE: {
    meaning:
      'The resume store cannot answer: `resume.backend: redis` without `@flowllm/redis` installed, Redis unreachable at start, or Redis lost while serving (the run routes answer 503 with `Retry-After`).',
    statuses: [503],
  },
  FLOWLLM_SEARCH: {
    meaning:
      'A web search op (DashscopeSearchOp, TavilySearchOp) has no API key (500), or its service failed: no connection, a timeout, an HTTP error, an answer cut off, too large or not JSON (502).',
    statuses: [502, 500],
  },
  FLOWLLM_SSE_DECODE: {
    meaning:
      'An SSE stream being read is malformed: an event is too large or its data is not a chunk (`SseDecodeError`).',
    statuses: [],
  },
  FLOWLLM_SSE_FIELD: {
    meaning: 'An SSE field to send holds a line break or another forbidden character (`SseEncodeError`).',
    statuses: [500],
  },
  FLOWLLM_STREAM: {
    meaning:
      "An op sent a chunk the wire format cannot carry (a 'done' chunk, an unknown chunk_type, a non-JSON value) or wrote after the stream ended.",
    statuses: [500],
  },
  FLOWLLM_TIMEOUT: {
    meaning: 'The flow ran longer than its `timeout` (`FlowTimeoutError`).',
    statuses: [504],
  },
  FLOWLLM_TOKEN_COUNT_HF: {
    meaning:
      'Not an error: the code of the one process warning that `token_count` backend `hf` counts with the base estimate (HuggingFace tokenizers need a model download).',
    statuses: [],
  },
  FLOWLLM_TOOL: {
    meaning:
      "A tool op refused or could not run: a path outside its root, writing or shell commands while they are off, a flow to run that is missing or nests too deep. An agent sends the text back to its model as the tool's result.",
    statuses: [403, 500, 508],
  },
  FLOWLLM_UNKNOWN_BACKEND: {
    meaning: 'A config entry names a model, embedding or vector store backend nobody registered.',
    statuses: [],
  },
  FLOWLLM_UNKNOWN_FLOW: {
    meaning: 'No flow of that name is served.',
    statuses: [404],
  },
  FLOWLLM_UNKNOWN_OP: {
    meaning: 'A flow expression names an op class nobody registered.',
    statuses: [],
  },
  FLOWLLM_UNKNOWN_RESOURCE: {
    meaning: 'An op asks for an LLM, embedding model or vector store the config does not have.',
    statuses: [500],
  },
  FLOWLLM_VECTOR_STORE: {
    meaning:
      'A vector store cannot serve the call: a workspace id that cannot name a file (400), a corrupt JSONL file or mixed vector sizes (500), or the embedding model returned the wrong number of vectors (502).',
    statuses: [400, 500, 502],
  },
});

/**
 * One of the stable error codes of {@link FLOWLLM_ERROR_CODES}, e.g. `'FLOWLLM_TIMEOUT'`.
 *
 * @example
 * function retryable(code: FlowllmErrorCode): boolean {
 *   return code === 'FLOWLLM_MODEL_RATE_LIMITED' || code === 'FLOWLLM_MODEL_UNAVAILABLE';
 * }
 */
export type FlowllmErrorCode = keyof typeof FLOWLLM_ERROR_CODES;
