import { SERVICE_BRAND } from '../brand.js';
import { ConfigError } from '../config/config-error.js';
import type { HttpConfig } from '../config/config-types.js';
import type { ErrorFormatter, FlowResponse } from '../engine/context.js';
import type { Flow } from '../engine/flow.js';
import { newFlowId } from '../engine/flow.js';
import type { FlowApp } from '../engine/flow-app.js';
import { FlowAbortedError, ShutdownError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
import { errorMessage, FlowllmError, logDetailOf } from '../errors.js';
import { OpenAIError, openAIErrorResult } from '../protocols/openai-error.js';
import type { FlowProtocol } from '../protocols/stream-encoder.js';
import type { EventLog } from '../resume/event-log.js';
import { parseLastEventId } from '../resume/last-event-id.js';
import { ResumeManager } from '../resume/resume-manager.js';
import { runRoute, stopRoute } from '../resume/resume-routes.js';
import { RunReader } from '../resume/run-reader.js';
import { SSE_HEADERS } from '../sse/headers.js';
import { traceIds } from '../telemetry/log-context.js';
import { parsedBodyExceeds } from './body-size.js';
import { corsHeaders, preflightHeaders, refuseDisallowedOrigin } from './cors.js';
import { DOCS_PAGE_HEADERS, docsHtml } from './docs-page.js';
import { clientMessage, errorStatus } from './error-result.js';
import { handleFetchRequest } from './fetch-handler.js';
import { Heartbeats } from './heartbeat.js';
import { bodyTooLarge, HttpError } from './http-error.js';
import { inputFromQuery, validateFlowInput } from './input-validation.js';
import { checkJsonShape, isJsonContentType, nonUtf8Charset, parseJsonBody } from './json-body.js';
import { McpMount, type McpMountOptions, mcpMountOptions } from './mcp-mount.js';
import { type OpenAIFacade, openAIFacadeOf, openAIRoute } from './openai-routes.js';
import { buildOpenApi } from './openapi.js';
import { DOCS_ASSETS, docsAssetHeaders } from './playground/docs-assets.js';
import { protocolRoute, servedProtocols, uiResumeRoute } from './protocol-routes.js';
import {
  allowedMethods,
  checkMethod,
  isOpenAIRoute,
  RESERVED_PATHS,
  type Route,
  type RouteOptions,
  resolveRoute,
} from './routes.js';
import {
  type FlowFetch,
  type FlowHandleFetch,
  type FlowNodeHandler,
  fetchHandler,
  nodeHandler,
} from './service-handlers.js';
import {
  consoleLogger,
  type ServiceLogger,
  type ServiceRequest,
  type ServiceResult,
  type StartStreamOptions,
} from './service-types.js';
import { StreamCap } from './stream-cap.js';
import type { OpenStreams } from './stream-pump.js';

/**
 * The HTTP service of a flow app, made by `createFlowService`: `GET /health`, `GET /openapi.json`,
 * `GET /docs`, `POST /{flow}` (and `GET /{flow}?…` for stream flows). One object serves every runtime:
 * `fetch` (a web fetch handler; `handleFetch` as middleware), `node` (a `node:http` listener and
 * connect-style middleware) and `handle` (the framework-neutral seam the adapters use).
 *
 * @example
 * const service = createFlowService('my_stream_config');
 * http.createServer(service.node).listen(8002);        // Node
 * export default { fetch: service.fetch };             // Bun, Deno, workers
 * expressApp.use('/api', service.node);                // connect-style middleware
 */
export class FlowService {
  readonly [SERVICE_BRAND] = true;
  /**
   * A web fetch handler: `Request` in, `Response` out; a path that is not the service's gets a 404.
   * Bound: pass `service.fetch` on its own.
   */
  readonly fetch: FlowFetch = fetchHandler(this);
  /**
   * The fetch handler as middleware: `undefined` for a path that is not the service's (a router falls
   * through); `options.path` serves below a mount point, `options.parsedBody` reuses a parsed body. Bound.
   */
  readonly handleFetch: FlowHandleFetch = (request, options) => handleFetchRequest(this, request, options);
  /**
   * A `node:http` / `node:http2` request listener, and connect-style middleware when given `next`
   * (express, connect): `http.createServer(service.node)`, `app.use(service.node)`. Bound.
   */
  readonly node: FlowNodeHandler = nodeHandler(this);
  /** @internal */
  readonly http: HttpConfig;
  /** Where the service logs failures. */
  readonly logger: ServiceLogger;
  /** @internal */
  readonly heartbeats: Heartbeats;
  /** @internal */
  readonly openStreams: OpenStreams = new Set();
  /** @internal Streams open now, counted against `http.max_streams`. */
  readonly streamCap: StreamCap;
  /** The MCP endpoint mounted beside the flow routes (`createFlowService(…, { mcp })`), if any. */
  readonly mcp: McpMount | undefined;
  /** Resumable runs (`resume.backend` not `none`, or an `eventLog` given); undefined when resume is off. */
  readonly resume: ResumeManager | undefined;
  /** @internal The OpenAI facade (`openai_facade.enabled`), if on. */
  readonly openai: OpenAIFacade | undefined;
  private readonly routeOptions: RouteOptions;
  /** @internal Settles once shutdown() has closed the resume store (its pending writes flushed). */
  resumeClosed: Promise<void> | undefined;
  private closing = false;
  private openapiText: string | undefined;
  private readonly formatters = new Map<Flow, ErrorFormatter>();

  /**
   * @deprecated Use `createFlowService(app, { logger })`, which also takes a config; kept for one minor
   * version.
   */
  constructor(
    /** The flows and models this service serves. */
    readonly app: FlowApp,
    options: {
      logger?: ServiceLogger;
      mcp?: boolean | McpMountOptions;
      eventLog?: EventLog;
      protocols?: readonly FlowProtocol[];
    } = {},
  ) {
    this.http = app.config.http;
    this.logger = options.logger ?? consoleLogger;
    this.heartbeats = new Heartbeats(this.http.heartbeat * 1000);
    this.streamCap = new StreamCap(this.http.max_streams);
    const clashes = [...app.flows.keys()].filter((name) => RESERVED_PATHS.has(name));
    if (clashes.length > 0) {
      throw new ConfigError(
        clashes.map((name) => ({
          path: `flow.${name}`,
          message: `the name '${name}' is taken by the service's own route`,
        })),
      );
    }
    const mcp = mcpMountOptions(options.mcp);
    this.mcp = mcp ? new McpMount(app, mcp, this.logger) : undefined;
    const resume = app.config.resume;
    this.resume =
      resume.backend !== 'none' || options.eventLog
        ? new ResumeManager(resume, this.logger, options.eventLog)
        : undefined;
    this.openai = openAIFacadeOf(app.config.openai_facade, app.resources?.env);
    this.routeOptions = {
      runs: this.resume !== undefined,
      protocols: servedProtocols(app.config, options.protocols),
      openaiPath: this.openai?.path,
      timeline: app.resources?.telemetry?.timelines !== undefined,
      docs: this.http.docs,
    };
  }

  /**
   * Resolves once the service can serve: with resume on, once its store is up (Redis connected).
   * `serve()` awaits it before listening, so a store that cannot start fails the start-up.
   */
  async ready(): Promise<void> {
    await this.resume?.ready();
  }

  /** Answers a request, or returns undefined when its path is not one of ours (a middleware calls next). */
  async handle(request: ServiceRequest): Promise<ServiceResult | undefined> {
    const route = resolveRoute(this.app.flows, request.path, this.routeOptions);
    if (!route) return undefined;
    const origin = request.header('origin');
    let result: ServiceResult;
    try {
      if (this.closing) throw new HttpError(503, 'the server is shutting down');
      result = await this.dispatch(route, request);
    } catch (error) {
      const generic = this.errorResult(error) as Extract<ServiceResult, { body: string }>;
      result = isOpenAIRoute(route) ? openAIErrorResult(error, generic) : generic;
    }
    if (!('access-control-allow-methods' in result.headers))
      Object.assign(result.headers, corsHeaders(this.http.cors, origin));
    // A page must be able to read the run id of its stream to resume or stop it.
    if (this.resume && 'access-control-allow-origin' in result.headers) {
      const exposed = result.headers['access-control-expose-headers'];
      result.headers['access-control-expose-headers'] = exposed
        ? `${exposed}, ${RUN_ID_HEADER}`
        : RUN_ID_HEADER;
    }
    return result;
  }

  /**
   * @internal Every route as a template (`/chat`, `/chat/ui/:chatId/stream`, `/v1/models/:model`), for
   * routers that register paths one by one (fastify). The MCP endpoint is not among them.
   */
  routeTemplates(): string[] {
    const { protocols, runs, openaiPath, docs, timeline } = this.routeOptions;
    const templates = [...RESERVED_PATHS.keys()]
      .filter((name) => docs || name !== 'docs')
      .map((name) => `/${name}`);
    if (docs) templates.push(...[...DOCS_ASSETS.keys()].map((name) => `/docs/${name}`));
    if (docs && timeline) templates.push('/docs/timeline/:flowId');
    for (const [name, flow] of this.app.flows) {
      const base = `/${name}`;
      templates.push(base);
      if (!flow.isStream) continue;
      for (const protocol of protocols?.keys() ?? []) templates.push(`${base}/${protocol}`);
      if (protocols?.has('ui')) templates.push(`${base}/ui/:chatId/stream`);
      if (runs) templates.push(`${base}/runs/:runId`, `${base}/runs/:runId/stop`);
    }
    if (openaiPath)
      templates.push(
        `${openaiPath}/chat/completions`,
        `${openaiPath}/models`,
        `${openaiPath}/models/:model`,
        // Any other path below the facade: OpenAI's 404.
        `${openaiPath}/*`,
      );
    return templates;
  }

  /** Whether `path` (below the mount point) is one of the service's routes, the MCP endpoint included. */
  handles(path: string): boolean {
    return resolveRoute(this.app.flows, path, this.routeOptions) !== undefined || this.mcp?.path === path;
  }

  /**
   * Ends every open stream with a final error event, refuses new requests (503), closes the MCP
   * endpoint's sessions (aborting the tools they run), and closes what the app holds open
   * (`app.close()`: e.g. connections to external MCP servers).
   */
  shutdown(reason = 'the server is shutting down'): void {
    this.closing = true;
    // Live runs first: their readers then get the run's own last events, with ids.
    this.resumeClosed ??= this.resume
      ?.close(reason)
      .catch((error: unknown) =>
        this.logger.error(`closing the resume store failed: ${errorMessage(error)}`),
      );
    for (const open of [...this.openStreams]) open.shutdown(reason);
    this.mcp
      ?.close()
      .catch((error: unknown) =>
        this.logger.error(`closing the MCP sessions failed: ${errorMessage(error)}`),
      );
    void this.app.close();
  }

  get openStreamCount(): number {
    return this.openStreams.size;
  }

  private async dispatch(route: Route, request: ServiceRequest): Promise<ServiceResult> {
    if (route.kind === 'openai-unknown')
      throw new OpenAIError(404, `Unknown request URL: ${request.method} ${request.path.slice(0, 200)}`, {
        type: 'invalid_request_error',
        code: 'unknown_url',
      });
    const origin = request.header('origin');
    const wantedMethod = request.header('access-control-request-method');
    if (request.method === 'OPTIONS') {
      const allow = allowedMethods(route).join(', ');
      const headers =
        origin && wantedMethod
          ? preflightHeaders(this.http.cors, origin, {
              method: wantedMethod,
              requestHeaders: request.header('access-control-request-headers'),
            })
          : {};
      return { status: 204, headers: { allow, ...headers }, body: '' };
    }
    checkMethod(route, request.method);
    const head = request.method === 'HEAD';
    switch (route.kind) {
      case 'health':
        return json(200, '{"status":"healthy"}', head);
      case 'openapi':
        this.openapiText ??= JSON.stringify(
          buildOpenApi(this.app, {
            runs: this.resume !== undefined,
            protocols: [...(this.routeOptions.protocols?.keys() ?? [])],
            openaiPath: this.openai?.path,
          }),
        );
        return json(200, this.openapiText, head);
      case 'docs':
        return {
          status: 200,
          headers: { ...DOCS_PAGE_HEADERS },
          body: head ? '' : docsHtml(this.app.config.app_name),
        };
      case 'timeline': {
        const timeline = this.app.resources?.telemetry?.timelines?.get(route.flowId);
        if (!timeline) throw new HttpError(404, 'no timeline for this flow_id (only the last runs are kept)');
        return json(200, JSON.stringify(timeline), head);
      }
      case 'docs-asset':
        return {
          status: 200,
          headers: docsAssetHeaders(route.asset, request.query.get('v')),
          body: head ? '' : (DOCS_ASSETS.get(route.asset)?.body ?? ''),
        };
      case 'flow': {
        refuseDisallowedOrigin(this.http.cors, origin, () => request.header('host'));
        return this.runFlow(route.flow, request, head);
      }
      case 'protocol':
        refuseDisallowedOrigin(this.http.cors, origin, () => request.header('host'));
        return protocolRoute(this, route.flow, route.protocol, request);
      case 'ui-resume':
        refuseDisallowedOrigin(this.http.cors, origin, () => request.header('host'));
        return this.holdReader(await uiResumeRoute(this, route.flow, route.chatId, head));
      case 'openai-completions':
      case 'openai-models':
      case 'openai-model':
        refuseDisallowedOrigin(this.http.cors, origin, () => request.header('host'));
        return openAIRoute(this, this.openai as OpenAIFacade, route, request, head);
      case 'run':
      case 'run-stop': {
        refuseDisallowedOrigin(this.http.cors, origin, () => request.header('host'));
        const resume = this.resume as ResumeManager;
        if (route.kind === 'run')
          return this.holdReader(await runRoute(resume, route.flow, route.runId, request, head));
        if (request.parsedBody === undefined)
          await request.readBody(
            Math.min(this.http.body_limit, request.bodyLimit ?? Number.POSITIVE_INFINITY),
          );
        return stopRoute(resume, route.flow, route.runId);
      }
    }
  }

  private async runFlow(flow: Flow, request: ServiceRequest, head: boolean): Promise<ServiceResult> {
    const viaQuery = request.method !== 'POST';
    if (viaQuery && request.header('last-event-id') !== undefined) {
      // An EventSource reconnecting: with resume on, its id names its run, which it picks up again.
      if (this.resume) return this.resumeEventSource(flow, request, head);
      // An EventSource reconnects after a stream ends; a 204 is the answer that makes it stop for good.
      return { status: 204, headers: {}, body: '' };
    }
    const raw = viaQuery
      ? inputFromQuery(flow.config.input_schema, request.query)
      : await this.readJson(request);
    if (viaQuery) checkJsonShape(raw);
    const input = validateFlowInput(flow.config.input_schema, raw, viaQuery ? 'query' : 'body');
    if (head) return { status: 200, headers: { ...SSE_HEADERS }, body: '' };
    if (!flow.isStream) {
      const { response } = await this.runSync(flow, input, request);
      return json(200, JSON.stringify(response), false);
    }
    return this.startStream(flow, input, request, {
      variant: viaQuery ? 'event-source' : 'post',
      headers: SSE_HEADERS,
      resumable: this.resume !== undefined,
    });
  }

  /** @internal Runs a sync flow for a request (aborted when the client leaves); failures as `FlowFailure`. */
  async runSync(
    flow: Flow,
    input: Record<string, unknown>,
    request: ServiceRequest,
  ): Promise<{ response: FlowResponse; flowId: string }> {
    const flowId = newFlowId();
    const formatError = this.formatterOf(flow);
    // Reported inside the run's span (its log line carries the run's ids); a failure before the run
    // started is reported here.
    const reported: { error?: unknown; message?: string } = {};
    const onFailure = (error: unknown) => {
      reported.error = error;
      reported.message = this.report(flow, error, { flowId });
    };
    try {
      const options = { signal: request.signal, abortError: clientGone, formatError, flowId, onFailure };
      return { response: await flow.run(input, options), flowId };
    } catch (error) {
      const message =
        reported.error === error && reported.message !== undefined
          ? reported.message
          : this.report(flow, error, { flowId });
      throw new FlowFailure(error, message, flowId);
    }
  }

  /**
   * @internal Starts a stream flow for a request and returns its stream result, once the flow shows
   * life (a flow failing before that throws, so the client gets a real error status). With
   * `resumable`, the run is logged and outlives the request (a disconnect only detaches its reader).
   */
  async startStream(
    flow: Flow,
    input: Record<string, unknown>,
    request: ServiceRequest,
    how: StartStreamOptions,
  ): Promise<ServiceResult> {
    const flowId = newFlowId();
    const formatError = this.formatterOf(flow);
    const resumable = how.resumable && this.resume !== undefined;
    if (resumable) await this.resume?.store();
    const signal = resumable || request.onGone ? undefined : request.signal;
    const stream = this.streamCap.admit(() =>
      flow.stream(input, { signal, abortError: clientGone, formatError, flowId }),
    );
    if (!resumable) request.onGone?.(cancelOnGone(stream));
    // Until the transport takes it over, shutdown must be able to stop a stream that has not started.
    const stopStarting = { shutdown: (reason: string) => stream.cancel(new ShutdownError(reason)) };
    this.openStreams.add(stopStarting);
    await this.waitForLife(stream);
    this.openStreams.delete(stopStarting);
    if (stream.failure !== undefined && stream.produced === 0) {
      stream.cancel(stream.failure);
      throw new FlowFailure(stream.failure, clientMessage(stream.failure, this.http.expose_errors), flowId);
    }
    const { variant } = how;
    const encoder = how.encoder?.(flowId);
    if (resumable && this.resume) {
      const reader = this.resume.startRun(stream, flow.name, variant);
      how.onRun?.(flowId);
      const headers = { ...how.headers, [RUN_ID_HEADER]: flowId };
      return { status: 200, headers, stream: reader, variant, ...(encoder && { encoder }) };
    }
    return { status: 200, headers: { ...how.headers }, stream, variant, ...(encoder && { encoder }) };
  }

  /** GET /{flow} with `Last-Event-ID: <flow_id>:<seq>`: the EventSource's run, after that event. */
  private async resumeEventSource(
    flow: Flow,
    request: ServiceRequest,
    head: boolean,
  ): Promise<ServiceResult> {
    const position = parseLastEventId(request.header('last-event-id'), undefined);
    const resume = this.resume as ResumeManager;
    if (!position?.flowId || !flow.isStream) return { status: 204, headers: {}, body: '' };
    const reader = await resume.attach(flow.name, position.flowId, position.seq, 'event-source');
    if (typeof reader === 'string') return { status: 204, headers: {}, body: '' };
    const headers = { ...SSE_HEADERS, [RUN_ID_HEADER]: position.flowId };
    if (head) {
      reader.cancel();
      return { status: 200, headers, body: '' };
    }
    return this.holdReader({ status: 200, headers, stream: reader, variant: 'event-source' });
  }

  /** A resumed run's reader counts against `http.max_streams` until it closes (503 beyond it). */
  private holdReader(result: ServiceResult): ServiceResult {
    if (!('stream' in result) || !(result.stream instanceof RunReader)) return result;
    const reader = result.stream;
    try {
      reader.whenClosed(this.streamCap.hold());
    } catch (error) {
      reader.cancel();
      throw error;
    }
    return result;
  }

  // One promise and one timer per request (not a race of two promises): this runs for every stream.
  private waitForLife(stream: FlowStream): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.http.status_wait * 1000);
      stream.ready.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** @internal Reads and parses a request's JSON body within the limits (415, 413, 400 otherwise). */
  async readJson(request: ServiceRequest): Promise<unknown> {
    const contentType = request.header('content-type');
    const notJson = () =>
      new HttpError(
        415,
        `expected Content-Type: application/json, found ${contentType ? `'${contentType.split(';')[0]}'` : 'none'}`,
      );
    // The smaller of ours and the host's own (fastify's bodyLimit).
    const limit = Math.min(this.http.body_limit, request.bodyLimit ?? Number.POSITIVE_INFINITY);
    // The limit holds even when a host body parser (with its own, larger limit) read the body first,
    // chunked (no Content-Length) too: then what it parsed is measured.
    const length = Number(request.header('content-length') ?? Number.NaN);
    if (length > limit) throw bodyTooLarge(limit);
    const parsed = request.parsedBody;
    if (parsed !== undefined && parsedBodyExceeds(parsed, limit)) throw bodyTooLarge(limit);
    // A raw or text body parser (express.raw / express.text) leaves bytes or a string: parse those here.
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) {
      if (contentType && !isJsonContentType(contentType)) throw notJson();
      return parseJsonBody(typeof parsed === 'string' ? parsed : new TextDecoder().decode(parsed));
    }
    if (parsed !== undefined) {
      // A host body parser may have parsed a form or text body: only a JSON one is a flow request.
      if (contentType && !isJsonContentType(contentType)) throw notJson();
      checkJsonShape(parsed);
      return parsed;
    }
    const charset = nonUtf8Charset(contentType);
    if (charset !== undefined)
      throw new HttpError(415, `unsupported charset '${charset}': a JSON body must be UTF-8`);
    // The bytes are read as they come: a compressed body would be misread (and its limit meaningless).
    const encoding = request.header('content-encoding')?.trim().toLowerCase();
    if (encoding && encoding !== 'identity')
      throw new HttpError(
        415,
        'a compressed body (Content-Encoding) is not supported: send the JSON uncompressed',
      );
    const text = await request.readBody(limit);
    if (text.trim() !== '' && !isJsonContentType(contentType)) throw notJson();
    return parseJsonBody(text);
  }

  /** The error formatter of a flow's runs: one per flow, not a closure per request. */
  private formatterOf(flow: Flow): ErrorFormatter {
    let formatter = this.formatters.get(flow);
    if (formatter === undefined) {
      formatter = (error, info) => this.report(flow, error, info);
      this.formatters.set(flow, formatter);
    }
    return formatter;
  }

  /** Logs a failure (never a client disconnect) and returns what the client may see of it. */
  private report(flow: Flow, error: unknown, info: { flowId: string; op?: string }): string {
    if (!(error instanceof FlowAbortedError)) {
      const log = info.op ? this.logger.warn : this.logger.error;
      // What clients must not see (a provider's message may echo the prompt) but operators need.
      const detail = logDetailOf(error);
      log.call(
        this.logger,
        `flow '${flow.name}' ${info.op ? `op ${info.op} reported` : 'failed'}: ${errorMessage(error)}`,
        {
          flow_id: info.flowId,
          ...traceIds(),
          ...(error instanceof Error && !FlowllmError.isInstance(error) ? { stack: error.stack } : {}),
          ...(detail ? { detail } : {}),
        },
      );
    }
    return clientMessage(error, this.http.expose_errors);
  }

  private errorResult(error: unknown): ServiceResult {
    if (error instanceof HttpError) {
      return json(error.status ?? 400, JSON.stringify({ detail: error.detail }), false, error.headers);
    }
    if (error instanceof FlowFailure) {
      const body = JSON.stringify({ detail: error.message, flow_id: error.flowId });
      return json(errorStatus(error.cause), body, false);
    }
    const message = FlowllmError.isInstance(error) && error.expose ? error.message : 'Internal Server Error';
    const detail = logDetailOf(error);
    if (!FlowllmError.isInstance(error) || !error.expose || detail)
      this.logger.error(`request failed: ${errorMessage(error)}`, {
        ...traceIds(),
        ...(detail && { detail }),
      });
    return json(errorStatus(error), JSON.stringify({ detail: message }), false);
  }
}

/** The response header naming a resumable stream's run (its `flow_id`). */
export const RUN_ID_HEADER = 'x-flowllm-run-id';

/** Whatever reason a runtime gives a disconnect (strings, DOMExceptions…), the flow fails with this. */
const clientGone = () => new FlowAbortedError('the client disconnected');

// Its own function, so the listener holds the stream only, not the request's whole scope (its input).
const cancelOnGone = (stream: FlowStream) => () => stream.cancel(clientGone());

/** A flow that failed before its response started; `message` is what the client may see. */
export class FlowFailure extends Error {
  constructor(
    override readonly cause: unknown,
    message: string,
    readonly flowId: string,
  ) {
    super(message);
  }
}

function json(
  status: number,
  body: string,
  head: boolean,
  headers: Record<string, string> = {},
): ServiceResult {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: head ? '' : body };
}
