import { FlowClientError, httpError } from './errors.js';
import { readFlowChunks } from './read-stream.js';
import { eventSeq, followRun, type RunCursor } from './resume.js';
import type {
  FlowChunk,
  FlowInfo,
  FlowInput,
  FlowResponse,
  OpenApiDocument,
  RequestOptions,
  RunStopState,
  StreamOptions,
} from './types.js';

/** The header a server with `resume` on names a stream's run in. */
const RUN_HEADER = 'x-flowllm-run-id';

/**
 * Options of {@link FlowClient}.
 *
 * @example
 * const options: FlowClientOptions = { baseUrl: '/api', headers: { authorization: 'Bearer …' } };
 */
export interface FlowClientOptions {
  /** Where the service is mounted: `http://localhost:8002`, or in a page a relative `/api`. */
  baseUrl: string;
  /**
   * Headers sent with every request (per-request `headers` override them).
   * @default none
   */
  headers?: HeadersInit;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Largest SSE event the stream reader buffers, in characters. @default 1048576 */
  maxEventSize?: number;
}

interface SendInit extends RequestOptions {
  body?: FlowInput;
  accept: string;
}

/**
 * A client for a flowllm (or Python FlowLLM 0.2) server, in browsers and Node ≥ 20.19: it only needs
 * `fetch`. The Python client's method names work too: `healthCheck`, `listEndpoints`, `executeFlow`,
 * `executeStreamFlow`.
 *
 * @example
 * const client = new FlowClient({ baseUrl: 'http://localhost:8002' });
 * for await (const chunk of client.streamFlow('demo_stream_http_flow', { query: 'what is ai' })) {
 *   if (chunk.type === 'answer') process.stdout.write(String(chunk.content));
 * }
 */
export class FlowClient {
  /** The base URL without its trailing slashes. */
  readonly baseUrl: string;
  private readonly headers: HeadersInit | undefined;
  private readonly fetcher: typeof fetch;
  private readonly maxEventSize: number | undefined;

  /**
   * @param options the options, or just the base URL.
   * @example
   * new FlowClient('http://localhost:8002');
   * new FlowClient({ baseUrl: '/api', fetch: myFetch });
   */
  constructor(options: FlowClientOptions | string) {
    const init = typeof options === 'string' ? { baseUrl: options } : options;
    this.baseUrl = init.baseUrl.replace(/\/+$/, '');
    this.headers = init.headers;
    // Called through a wrapper: a browser's fetch throws "Illegal invocation" when called as a method.
    this.fetcher = init.fetch ?? ((input, requestInit) => globalThis.fetch(input, requestInit));
    this.maxEventSize = init.maxEventSize;
  }

  /**
   * `GET /health`.
   *
   * @example
   * await client.health(); // { status: 'healthy' }
   */
  health(options?: RequestOptions): Promise<{ status: string }> {
    return this.getJson('/health', options);
  }

  /**
   * `GET /openapi.json`: the server's OpenAPI document.
   *
   * @example
   * const document = await client.openapi();
   */
  openapi(options?: RequestOptions): Promise<OpenApiDocument> {
    return this.getJson('/openapi.json', options);
  }

  /**
   * The flows in the OpenAPI document: every path with a POST operation.
   *
   * @example
   * const streaming = (await client.listFlows()).filter((flow) => flow.stream).map((flow) => flow.name);
   */
  async listFlows(options?: RequestOptions): Promise<FlowInfo[]> {
    const { paths } = await this.openapi(options);
    const flows: FlowInfo[] = [];
    for (const [path, item] of Object.entries(paths ?? {})) {
      const post = item?.post as OpenApiOperation | undefined;
      // The run routes (`/{flow}/runs/{flow_id}/stop`) are the server's own, not flows.
      if (!post || 'x-flowllm-route' in post || path.includes('/runs/{')) continue;
      const content = post.responses?.['200']?.content ?? {};
      flows.push({
        name: decodeURIComponent(path.replace(/^\//, '')),
        path,
        description: post.description || post.summary || '',
        stream: 'text/event-stream' in content,
        inputSchema: post.requestBody?.content?.['application/json']?.schema,
      });
    }
    return flows;
  }

  /**
   * Runs a non-streaming flow (`POST /{name}`).
   *
   * @throws {FlowClientError} `http` on a non-2xx answer (with the server's `detail`), `network`,
   * `invalid_response` when the flow streams (use {@link FlowClient.streamFlow}).
   * @example
   * const { answer } = await client.runFlow('demo_http_flow', { query: 'what is ai' });
   */
  async runFlow(name: string, input: FlowInput = {}, options?: RequestOptions): Promise<FlowResponse> {
    const response = await this.send('POST', flowPath(name), {
      ...options,
      body: input,
      accept: 'application/json',
    });
    if (contentType(response).startsWith('text/event-stream')) {
      response.body?.cancel().catch(() => {});
      throw new FlowClientError('invalid_response', `flow '${name}' streams: use streamFlow()`, {
        status: response.status,
      });
    }
    return readJson(response, `POST ${flowPath(name)}`);
  }

  /**
   * Runs a stream flow (`POST /{name}`) and yields its chunks as they arrive, until `data:[DONE]`.
   * The request starts at the first `next()`. Leaving the loop early, or aborting `signal`, closes the
   * connection: the server stops the flow and its model request (with the server's `resume` on, it only
   * detaches: use {@link FlowClient.stopFlow} to stop the run). An `error` chunk (a failure after
   * streaming began) is yielded like any other; the stream then ends normally.
   *
   * With `resume` and a server whose `resume` config is on (it answers `x-flowllm-run-id`), a network
   * drop is not the end: the client reconnects to `GET /{name}/runs/{run_id}?last_event_id=…` (with
   * bounded retries and backoff) and goes on from the last event read, each chunk yielded once.
   *
   * @throws {FlowClientError} `http` on a non-2xx answer (with the server's `detail`), `network`,
   * `truncated` when the stream ends or breaks without `[DONE]` (after the reconnects, with `resume`),
   * `invalid_response` for a JSON answer or event ids that skip some, `gone` when a run to resume no
   * longer exists. An abort rejects with `signal.reason`.
   * @example
   * const controller = new AbortController();
   * stopButton.onclick = () => controller.abort();
   * for await (const chunk of client.streamFlow('demo_stream_http_flow', { query }, { signal: controller.signal })) {
   *   if (chunk.type === 'answer') output.append(String(chunk.content));
   * }
   * // Survives network drops (and reports the run, to resume it after a reload):
   * for await (const chunk of client.streamFlow('chat', { query }, { resume: true, onRun: (run) => save(run) })) {}
   */
  streamFlow(
    name: string,
    input: FlowInput = {},
    options: StreamOptions = {},
  ): AsyncGenerator<FlowChunk, void, undefined> {
    return this.stream(options, async function* (this: FlowClient, signal) {
      const response = await this.send('POST', flowPath(name), {
        headers: options.headers,
        signal,
        body: input,
        accept: 'text/event-stream',
      });
      if (contentType(response).includes('json') || !response.body) {
        throw new FlowClientError('invalid_response', `flow '${name}' does not stream: use runFlow()`, {
          status: response.status,
        });
      }
      const runId = options.resume ? response.headers.get(RUN_HEADER) : null;
      if (!runId) return yield* readFlowChunks(response.body, { signal, maxEventSize: this.maxEventSize });
      yield* this.follow({ flow: name, runId, lastEventId: undefined, seq: 0 }, response, signal, options);
    });
  }

  /**
   * Reads a run of a server with `resume` on (`GET /{name}/runs/{runId}`, with `?last_event_id=` so a
   * page needs no CORS preflight): every event after `lastEventId` (all of them without it), then the
   * live ones, until `[DONE]`, reconnecting after drops as `streamFlow` does with `resume`.
   *
   * @throws {FlowClientError} `gone` when the run is unknown, expired, another flow's, or already over
   * (the server's 204); the rest as {@link FlowClient.streamFlow}.
   * @example
   * const saved = JSON.parse(sessionStorage.getItem('run'));
   * for await (const chunk of client.resumeFlow(saved.flow, saved.runId, saved.lastEventId)) output.append(String(chunk.content));
   */
  resumeFlow(
    name: string,
    runId: string,
    lastEventId?: string | number,
    options: StreamOptions = {},
  ): AsyncGenerator<FlowChunk, void, undefined> {
    const id = lastEventId === undefined ? undefined : String(lastEventId);
    const run: RunCursor = {
      flow: name,
      runId,
      lastEventId: id,
      seq: id === undefined ? undefined : eventSeq(id),
    };
    return this.stream(options, (signal) =>
      this.follow(run, undefined, signal, { resume: true, ...options }),
    );
  }

  /**
   * Stops a run of a server with `resume` on, from any client and any server instance
   * (`POST /{name}/runs/{runId}/stop`): the server aborts the flow, and every reader of the run gets an
   * `error` chunk saying it was stopped, then `[DONE]`.
   *
   * @returns `'stopping'`, or the state the run already ended in; `null` when the server knows no such
   * run of this flow (204).
   * @throws {FlowClientError} `http` on a non-2xx answer (503 when the server's run store is down), `network`.
   * @example
   * stopButton.onclick = () => client.stopFlow('chat', run.runId);
   */
  async stopFlow(name: string, runId: string, options?: RequestOptions): Promise<RunStopState | null> {
    const path = `${runPath(name, runId)}/stop`;
    const response = await this.send('POST', path, { ...options, accept: 'application/json' });
    if (response.status === 204) return null;
    return (await readJson<{ state: RunStopState }>(response, `POST ${path}`)).state;
  }

  /**
   * The `GET /{name}?…` URL of a stream flow for a browser `EventSource`. Strings are sent as they are,
   * numbers and booleans as text, arrays and objects as JSON. The stream ends with an `event: done`
   * event: close the `EventSource` on it, or it reconnects.
   *
   * @example
   * const source = new EventSource(client.eventSourceUrl('demo_stream_http_flow', { query: 'hi' }));
   * source.addEventListener('done', () => source.close());
   */
  eventSourceUrl(name: string, input: FlowInput = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      params.append(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
    }
    const query = params.toString();
    return `${this.baseUrl}${flowPath(name)}${query ? `?${query}` : ''}`;
  }

  /**
   * FlowLLM's name for {@link FlowClient.health}.
   *
   * @example
   * await client.healthCheck(); // { status: 'healthy' }
   */
  healthCheck(options?: RequestOptions): Promise<{ status: string }> {
    return this.health(options);
  }

  /**
   * FlowLLM's name for {@link FlowClient.openapi}.
   *
   * @example
   * const { paths } = await client.listEndpoints();
   */
  listEndpoints(options?: RequestOptions): Promise<OpenApiDocument> {
    return this.openapi(options);
  }

  /**
   * FlowLLM's name for {@link FlowClient.runFlow}.
   *
   * @example
   * const { answer } = await client.executeFlow('demo_http_flow', { query: 'hi' });
   */
  executeFlow(name: string, input?: FlowInput, options?: RequestOptions): Promise<FlowResponse> {
    return this.runFlow(name, input, options);
  }

  /**
   * FlowLLM's name for {@link FlowClient.streamFlow}.
   *
   * @example
   * for await (const { type, content } of client.executeStreamFlow('demo_stream_http_flow', { query: 'hi' })) {
   *   console.log(type, content);
   * }
   */
  executeStreamFlow(
    name: string,
    input?: FlowInput,
    options?: RequestOptions,
  ): AsyncGenerator<FlowChunk, void, undefined> {
    return this.streamFlow(name, input, options);
  }

  /** Runs `body` under a controller that follows `options.signal`, and closes the connection on an early exit. */
  private async *stream(
    options: RequestOptions,
    body: (this: FlowClient, signal: AbortSignal) => AsyncGenerator<FlowChunk, void, undefined>,
  ): AsyncGenerator<FlowChunk, void, undefined> {
    const controller = new AbortController();
    const outer = options.signal;
    const forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    outer?.addEventListener('abort', forward, { once: true });
    let complete = false;
    try {
      yield* body.call(this, controller.signal);
      complete = true;
    } finally {
      outer?.removeEventListener('abort', forward);
      // The consumer left early or something failed: drop the connection so the server aborts the flow.
      if (!complete && !controller.signal.aborted)
        controller.abort(new DOMException('the stream was closed by its reader', 'AbortError'));
    }
  }

  /** The resume loop over a named run; reports it to `onRun` first. */
  private follow(
    run: RunCursor,
    response: Response | undefined,
    signal: AbortSignal,
    options: StreamOptions,
  ): AsyncGenerator<FlowChunk, void, undefined> {
    options.onRun?.(run);
    return followRun(run, response, {
      signal,
      maxEventSize: this.maxEventSize,
      resume:
        options.resume === false ? { retries: 0 } : typeof options.resume === 'object' ? options.resume : {},
      reopen: ({ flow, runId, lastEventId }) =>
        this.send(
          'GET',
          runPath(flow, runId) +
            (lastEventId === undefined ? '' : `?last_event_id=${encodeURIComponent(lastEventId)}`),
          { headers: options.headers, signal, accept: 'text/event-stream' },
        ),
    });
  }

  private async getJson<T>(path: string, options?: RequestOptions): Promise<T> {
    return readJson(await this.send('GET', path, { ...options, accept: 'application/json' }), `GET ${path}`);
  }

  private async send(method: string, path: string, init: SendInit): Promise<Response> {
    const headers = new Headers(this.headers);
    new Headers(init.headers).forEach((value, key) => {
      headers.set(key, value);
    });
    headers.set('accept', init.accept);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const { signal } = init;
    let response: Response;
    try {
      if (signal?.aborted) throw signal.reason;
      response = await this.fetcher(this.baseUrl + path, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw new FlowClientError(
        'network',
        `${method} ${path} failed: ${(error as Error)?.message ?? error}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw await httpError(response, `${method} ${path}`);
    return response;
  }
}

interface OpenApiOperation {
  summary?: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

function flowPath(name: string): string {
  return `/${encodeURIComponent(name)}`;
}

function runPath(name: string, runId: string): string {
  return `${flowPath(name)}/runs/${encodeURIComponent(runId)}`;
}

function contentType(response: Response): string {
  return (response.headers.get('content-type') ?? '').toLowerCase();
}

async function readJson<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new FlowClientError('invalid_response', `${what} did not answer JSON: ${text.slice(0, 200)}`, {
      status: response.status,
      cause: error,
    });
  }
}
