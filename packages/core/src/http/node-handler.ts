import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { FlowAbortedError } from '../engine/flow-errors.js';
import { pumpRun } from '../resume/run-pump.js';
import { RunReader } from '../resume/run-reader.js';
import { readNodeBody } from './node-body.js';
import type { FlowService } from './service.js';
import type { ServiceRequest, ServiceResult } from './service-types.js';
import { pumpStream, type StreamSink, startPump } from './stream-pump.js';

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * Options of {@link handleNodeRequest}, for middleware: fall through to the host app, reuse its parsed
 * body, serve below a mount point.
 *
 * @example
 * app.use((req, res, next) => handleNodeRequest(service, req, res, { next, parsedBody: req.body }));
 */
export interface NodeHandleOptions {
  /**
   * Called instead of answering 404 when the path is not ours (middleware mode).
   * @default none: unknown paths get `404 {"detail":"Not Found"}`
   */
  next?: () => void;
  /**
   * A body a framework already parsed (reused when it is JSON).
   * @default none: the service reads the body itself
   */
  parsedBody?: unknown;
  /**
   * The path below the mount point.
   * @default the request URL's path
   */
  path?: string;
}

/**
 * Serves one request on Node's `http` (or `http2` compatibility) objects: the hot path. Streams are
 * written straight to the response — no web streams — with drain handling and disconnect detection
 * on the response's `close` (never the request's: since Node 16 it closes once its body is read).
 *
 * @example
 * http.createServer((req, res) => handleNodeRequest(service, req, res)).listen(8002);
 */
export async function handleNodeRequest(
  service: FlowService,
  request: NodeRequest,
  response: NodeResponse,
  options: NodeHandleOptions = {},
): Promise<void> {
  const streaming = await startNodeRequest(service, request, response, options);
  return streaming?.pump;
}

/**
 * @internal `handleNodeRequest` up to the start of a stream: resolves once the request is answered or
 * its stream is being written, with the pump's promise in a box; given `failed`, a live stream's pump
 * makes no promise at all and reports a failing transport to `failed` (`service.node`: an open stream
 * then holds no promise, resolve functions or catch handler).
 */
export async function startNodeRequest(
  service: FlowService,
  request: NodeRequest,
  response: NodeResponse,
  options: NodeHandleOptions,
  failed?: (error: unknown) => void,
): Promise<{ pump?: Promise<void> } | undefined> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = options.path ?? url.pathname;
  if (service.mcp?.path === path) {
    await service.mcp.handleNode(request, response, options.parsedBody);
    return undefined;
  }
  // Another route of the host app: hand it on before touching the request or response.
  if (!service.handles(path)) {
    if (options.next) options.next();
    else writeResult(response, notFound());
    return undefined;
  }
  const serviceRequest = nodeServiceRequest(request, response, { ...options, path });
  const result = await service.handle(serviceRequest);
  if (!result) {
    if (options.next) options.next();
    else writeResult(response, notFound());
    return undefined;
  }
  if (!('stream' in result)) {
    writeResult(response, result, serviceRequest.method === 'HEAD');
    return undefined;
  }
  // The request itself says whether the client left (no AbortSignal made for it).
  const streamOptions = { signal: serviceRequest };
  if (!failed) return { pump: writeNodeStream(service, response, result, streamOptions) };
  // With `failed`, a live stream's pump holds no promise at all (a resumable run's reader has one).
  startNodeStream(service, response, result, streamOptions, failed)?.catch(failed);
  return {};
}

/** What `nodeServiceRequest` takes from an adapter: see `ServiceRequest`'s fields of the same names. */
type NodeRequestOptions = Pick<ServiceRequest, 'parsedBody' | 'bodyLimit'> & { path?: string };

/**
 * The service's view of a Node request, for adapters that answer plain results their own way (e.g.
 * fastify's `reply.send`, so its hooks run) and only stream through `writeNodeStream`. It knows when
 * the response closes before it ended (the client left): `aborted` and `reason` say so, `signal` fires
 * (made on first use), `onGone` is told — pass the request itself as `writeNodeStream`'s `signal`.
 *
 * @example
 * const serviceRequest = nodeServiceRequest(request.raw, reply.raw, { path: '/health' });
 */
export function nodeServiceRequest(
  request: NodeRequest,
  response: NodeResponse,
  options: NodeRequestOptions = {},
): ServiceRequest & Pick<AbortSignal, 'aborted' | 'reason'> {
  const serviceRequest = new NodeServiceRequest(request, options);
  // `on`, not `once`: 'close' fires once anyway, and `once` adds a wrapper and a bound function per
  // request; one shared listener finds the request on the response (no closure per open stream).
  const leaving = response as LeavingResponse;
  if (leaving[SERVICE_REQUEST] === undefined) {
    leaving[SERVICE_REQUEST] = serviceRequest;
    response.on('close', leaveOnClose);
  } else response.on('close', () => leaveOnClose.call(leaving, serviceRequest)); // a second view
  return serviceRequest;
}

const SERVICE_REQUEST = Symbol('flowllm.serviceRequest');
type LeavingResponse = NodeResponse & { [SERVICE_REQUEST]?: NodeServiceRequest };

// writableEnded, not writableFinished: on HTTP/2 a reset stream reports itself "finished".
function leaveOnClose(this: LeavingResponse, request = this[SERVICE_REQUEST]): void {
  if (!this.writableEnded) request?.leave(new FlowAbortedError('the client disconnected'));
}

// A class, not an object literal with a getter (V8 makes those dictionaries): a stream keeps its
// request alive for as long as it runs, so this stays small, and the URL is parsed only when needed.
class NodeServiceRequest implements ServiceRequest {
  readonly method: string;
  readonly path: string;
  readonly parsedBody: unknown;
  readonly bodyLimit: number | undefined;
  /** True once the client left (the response closed before it ended). */
  aborted = false;
  reason: unknown;
  private url: URL | undefined;
  // An AbortSignal costs ~0.8 KB in Node 20, for as long as a stream runs: made only when asked for;
  // the service itself listens through `onGone`.
  private controller: AbortController | undefined;
  private goneListener: ((reason: unknown) => void) | undefined;

  constructor(
    private readonly request: NodeRequest,
    options: NodeRequestOptions,
  ) {
    this.method = (request.method ?? 'GET').toUpperCase();
    this.path = options.path ?? this.parsedUrl().pathname;
    this.parsedBody = options.parsedBody;
    this.bodyLimit = options.bodyLimit;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  onGone(listener: (reason: unknown) => void): void {
    if (this.aborted) {
      listener(this.reason);
      return;
    }
    const before = this.goneListener;
    this.goneListener =
      before === undefined
        ? listener
        : (reason) => {
            before(reason);
            listener(reason);
          };
  }

  /** The client left: tells `onGone`'s listeners and aborts `signal`, once. */
  leave(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listener = this.goneListener;
    this.goneListener = undefined;
    listener?.(reason);
  }

  get query(): URLSearchParams {
    return this.parsedUrl().searchParams;
  }

  header(name: string): string | undefined {
    const headers = this.request.headers;
    // HTTP/2 names the host in :authority (the same-origin check of CORS needs it).
    return headerValue(headers[name] ?? (name === 'host' ? headers[':authority'] : undefined));
  }

  readBody(limit: number): Promise<string> {
    return readNodeBody(this.request, limit);
  }

  private parsedUrl(): URL {
    this.url ??= new URL(this.request.url ?? '/', 'http://localhost');
    return this.url;
  }
}

/**
 * Options of {@link writeNodeStream}.
 *
 * @example
 * const options: WriteNodeStreamOptions = { signal: serviceRequest }; // from nodeServiceRequest
 */
export interface WriteNodeStreamOptions {
  /**
   * Whether the client has gone (a `ServiceRequest`'s `signal`, or anything with `aborted` and
   * `reason`): once it has, writing stops and the flow is cancelled.
   */
  signal: Pick<AbortSignal, 'aborted' | 'reason'>;
}

/**
 * Writes a stream result to a Node response: headers at once, then the flow's chunks with drain
 * handling, until the flow ends or `signal` fires.
 *
 * @example
 * if ('stream' in result) await writeNodeStream(service, response, result, { signal: serviceRequest });
 */
export function writeNodeStream(
  service: FlowService,
  response: NodeResponse,
  result: Extract<ServiceResult, { stream: unknown }>,
  options: WriteNodeStreamOptions,
): Promise<void> {
  // Not an async function: the pump's own promise is returned, not wrapped in one more that waits on
  // it (an idle stream would hold both, with their resolve functions).
  try {
    return startNodeStream(service, response, result, options) as Promise<void>;
  } catch (error) {
    return Promise.reject(error);
  }
}

// With `failed`, a live stream is pumped without a promise (undefined is returned); without it, the
// pump's promise is returned. A resumable run's reader always returns its promise.
function startNodeStream(
  service: FlowService,
  response: NodeResponse,
  result: Extract<ServiceResult, { stream: unknown }>,
  { signal: disconnected }: WriteNodeStreamOptions,
  failed?: (error: unknown) => void,
): Promise<void> | undefined {
  if (disconnected.aborted) {
    result.stream.cancel(disconnected.reason);
    return failed ? undefined : Promise.resolve();
  }
  response.writeHead(200, result.headers);
  // writeHead alone holds the headers until the first body write (the first token, maybe seconds
  // later): flush them now so the client's fetch resolves. http2's writeHead already sends them.
  (response as { flushHeaders?: () => void }).flushHeaders?.();
  const source = result.stream;
  if (source instanceof RunReader) {
    // A disconnect detaches the reader (the run goes on), waking it if it waits for events.
    response.once('close', () => {
      if (!response.writableEnded) source.cancel();
    });
    const retryMs = service.resume?.config.retry_ms ?? 1000;
    return pumpRun(source, new NodeSink(response, disconnected), {
      service,
      retryMs,
      encoder: result.encoder,
    });
  }
  const sink = new NodeSink(response, disconnected);
  const options = { variant: result.variant, service, encoder: result.encoder };
  if (!failed) return pumpStream(source, sink, options);
  startPump(source, sink, options, failed);
  return undefined;
}

/** The answer for a path that is not the service's. */
export function notFound(): Extract<ServiceResult, { body: string }> {
  return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"detail":"Not Found"}' };
}

/** Writes a complete (non-stream) result with its length, unless the response has already started. */
export function writeResult(
  response: NodeResponse,
  result: Extract<ServiceResult, { body: string }>,
  head = false,
): void {
  if (response.headersSent || response.destroyed) return;
  // No Content-Length on 204, nor on HEAD (it would claim the GET body is empty).
  const sized = !head && result.status !== 204;
  const headers = sized
    ? { ...result.headers, 'content-length': String(Buffer.byteLength(result.body)) }
    : result.headers;
  response.writeHead(result.status, headers);
  response.end(result.body);
}

/** A Node response as the pump's sink (a class: an object literal with a getter is a V8 dictionary). */
class NodeSink implements StreamSink {
  constructor(
    private readonly response: NodeResponse,
    private readonly disconnected: Pick<AbortSignal, 'aborted'>,
  ) {}

  write(data: string | Uint8Array): boolean {
    if (this.disconnected.aborted) return true;
    const writable = this.response as ServerResponse & { flush?: () => void };
    const ok = writable.write(data);
    // Compression middleware that ignores `Cache-Control: no-transform` buffers until flushed.
    writable.flush?.();
    return ok;
  }

  drained(): Promise<void> {
    const response = this.response;
    // 'drain' never fires after the client left: race it with close and error, or the wait hangs.
    return new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        response.off('error', done);
        resolve();
      };
      if (this.disconnected.aborted) return resolve();
      response.on('drain', done);
      response.on('close', done);
      response.on('error', done);
    });
  }

  get closed(): boolean {
    return this.disconnected.aborted;
  }

  end(): void {
    if (!this.disconnected.aborted && !this.response.writableEnded) this.response.end();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
