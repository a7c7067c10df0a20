/**
 * A tool call the upstream streams: `arguments` is sent as JSON, or as is when it is a string (so a
 * test can send arguments that are not valid JSON).
 *
 * @example
 * const call: ScriptedToolCall = { name: 'get_weather', arguments: { city: 'Paris' } };
 */
export interface ScriptedToolCall {
  name: string;
  arguments?: unknown;
  /** Default `call_<n>_local` (OpenAI) or `toolu_local_<n>` (Anthropic). */
  id?: string;
}

/**
 * Token counts, in FlowLLM's (OpenAI's) spelling; the Anthropic upstream sends them as input/output tokens.
 *
 * @example
 * await startOpenAiUpstream([{ answer: 'Hi', usage: { prompt_tokens: 5, completion_tokens: 1 } }]);
 */
export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/**
 * What the upstream answers to one request. Without a fault it streams a complete, well-formed reply.
 *
 * Faults counted in events (`drop`, `hang`, `invalidJson`, `truncate`, `streamError`) happen after
 * that many SSE events were written; `0` means right after the response headers. The README lists
 * the events each provider sends.
 *
 * @example
 * const script: UpstreamReply[] = [
 *   { status: 429, retryAfter: 1 },                 // first request: rate limited
 *   { think: 'Let me see.', answer: 'Hello there' }, // every later request
 * ];
 */
export interface UpstreamReply {
  /** Reasoning text, streamed as think deltas; a string is split into words, a list is sent piece by piece. */
  think?: string | string[];
  /** Answer text; default "Hello from the local upstream." when no think, answer nor tool call is given. */
  answer?: string | string[];
  toolCalls?: ScriptedToolCall[];
  /** Token counts for the usage event; `false` sends none. Default: counted from the text. */
  usage?: ScriptedUsage | false;
  /** OpenAI only: the delta field for reasoning (`reasoning_content` as Qwen/DeepSeek, `reasoning` as OpenRouter/vLLM). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /**
   * OpenAI only: fields added to every think and answer delta, e.g. `{ reasoning_content: '' }` beside
   * `reasoning` (as some proxies send); the delta's own field wins.
   */
  deltaExtras?: Record<string, unknown>;
  /**
   * OpenAI only: stream tool-call deltas without `index` (as some OpenAI-compatible endpoints do): the
   * first delta of a call carries its `id`, the argument fragments neither.
   */
  omitToolCallIndex?: boolean;
  /** Embeddings only: list the vectors last first (each keeps its `index`, as the API allows). */
  reverseEmbeddings?: boolean;
  /** Pause before each event, in ms ("slow trickle"). */
  delayMs?: number;

  /** Answer with this HTTP error status and the provider's JSON error body instead of a stream. */
  status?: number;
  /** The provider's error message (for `status` and `streamError`); default: the provider's usual text. */
  message?: string;
  /**
   * Send the JSON error body of `status` (default 500) with HTTP `200`, as some proxies answer a
   * streaming request.
   */
  errorAs200?: boolean;
  /** The `Retry-After` header sent with `status` (seconds, fractions allowed, or an HTTP date). */
  retryAfter?: number | string;
  /** Extra response headers. */
  headers?: Record<string, string>;

  /** Destroy the connection (no terminator) after this many events: a stream cut mid-way. */
  drop?: number;
  /** Stop sending after this many events, or before the headers (`'headers'`), keeping the connection open. */
  hang?: number | 'headers';
  /** Send an event whose data is not valid JSON after this many events. */
  invalidJson?: number;
  /** End the response cleanly but early (no `[DONE]` / `message_stop`) after this many events. */
  truncate?: number;
  /** Send the provider's in-stream error event after this many events, then end. */
  streamError?: number;
}

/**
 * A request the upstream received, recorded as it arrived and updated when its response closed.
 *
 * @example
 * expect(upstream.requests[0]?.body).toMatchObject({ model: 'gpt-test', stream: true });
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (the raw text when it is not JSON). */
  body: unknown;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when its response closed (ended, or the client went away). */
  closedAt?: number;
  /** True when the response ended normally; false when the connection closed first. */
  completed?: boolean;
}

/**
 * The replies, one per request in order (the last one repeats), or a function choosing one.
 *
 * @example
 * const script: UpstreamScript = (request, index) => (index === 0 ? { status: 429, retryAfter: 1 } : { answer: 'ok' });
 * const upstream = await startOpenAiUpstream(script);
 */
export type UpstreamScript = UpstreamReply[] | ((request: RecordedRequest, index: number) => UpstreamReply);

/**
 * Options of `startOpenAiUpstream` and `startAnthropicUpstream`.
 *
 * @example
 * const upstream = await startOpenAiUpstream([{ answer: 'Hi' }], { apiKey: 'sk-test', host: '127.0.0.1' });
 */
export interface UpstreamOptions {
  /**
   * When set, requests with another key get the provider's 401 answer.
   * @default none: any key is accepted
   */
  apiKey?: string;
  /**
   * Host to listen on (the port is always a free one).
   * @default "127.0.0.1"
   */
  host?: string;
}

/**
 * A running local upstream.
 *
 * @example
 * const upstream = await startOpenAiUpstream([{ answer: 'Hi!' }]);
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: upstream.url });
 * await upstream.close();
 */
export interface LocalUpstream {
  /** The base URL to give the SDK (`http://127.0.0.1:<port>/v1` for OpenAI, `http://127.0.0.1:<port>` for Anthropic). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Requests whose response is still open (idle keep-alive sockets do not count). */
  readonly openConnections: number;
  /** Resolves once `openConnections` is 0; rejects after `timeoutMs` (default 2000). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}
