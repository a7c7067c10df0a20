import type { IncomingMessage } from 'node:http';
import { FlowAbortedError } from '../engine/flow-errors.js';
import { errorMessage } from '../errors.js';
import { pumpRun } from '../resume/run-pump.js';
import { RunReader } from '../resume/run-reader.js';
import { bodyTooLarge, HttpError } from './http-error.js';
import { decodeOrRefuse, decodeUtf8, readNodeBody } from './node-body.js';
import type { FlowService } from './service.js';
import type { ServiceRequest } from './service-types.js';
import { pumpStream, type StreamSink } from './stream-pump.js';

/**
 * Options of `service.handleFetch`, for a framework that mounts the service below a prefix or
 * parsed the body already.
 *
 * @example
 * app.post('/api/*', async (c) => (await service.handleFetch(c.req.raw, { path: c.req.path.slice(4) })) ?? c.notFound());
 */
export interface FetchHandleOptions {
  /**
   * The path below the mount point.
   * @default the request URL's path
   */
  path?: string;
  /**
   * A body a framework already parsed (reused when it is JSON).
   * @default none: the service reads the body itself
   */
  parsedBody?: unknown;
  /**
   * The Node request behind this `Request`, when a framework on Node still holds it (h3 on srvx): its
   * body is read as on the Node path, without building a web stream first. Unused once the `Request`'s
   * own body was read.
   * @default none: the `Request`'s body is read
   */
  nodeRequest?: IncomingMessage;
}

/**
 * Serves a web `Request` and returns a `Response` (Hono, Next.js route handlers, Bun, Deno, h3).
 * Stream bodies are pull-based byte streams: the flow only runs ahead of the reader by what the
 * runtime asked for, and cancelling the body (or the request's signal) aborts the flow.
 * Returns `undefined` when the path is not ours, so a router can fall through.
 *
 * @deprecated Use `service.handleFetch(request, options)` (or `service.fetch(request)`, which answers
 * 404 for other paths); kept for one minor version.
 * @example
 * export const POST = (request: Request) => service.fetch(request);
 */
export async function handleFetchRequest(
  service: FlowService,
  request: Request,
  options: FetchHandleOptions = {},
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const path = options.path ?? url.pathname;
  if (service.mcp?.path === path) {
    const localAddress = options.nodeRequest?.socket?.localAddress;
    return service.mcp.handleFetch(request, { parsedBody: options.parsedBody, localAddress });
  }
  const serviceRequest: ServiceRequest = {
    method: request.method.toUpperCase(),
    path,
    query: url.searchParams,
    // A Request built in-process has no Host header: its URL names the host.
    header: (name) => request.headers.get(name) ?? (name === 'host' ? url.host : undefined),
    readBody: (limit) =>
      options.nodeRequest && !request.bodyUsed
        ? readNodeBody(options.nodeRequest, limit)
        : readWebBody(request, limit),
    parsedBody: options.parsedBody,
    signal: request.signal,
  };
  const result = await service.handle(serviceRequest);
  if (!result) return undefined;
  if (!('stream' in result)) {
    // Same framing as the Node path: a sized body, and no length on 204 or HEAD.
    if (result.status === 204 || request.method === 'HEAD') {
      return new Response(null, { status: result.status, headers: result.headers });
    }
    const body = new TextEncoder().encode(result.body);
    const headers = { ...result.headers, 'content-length': String(body.byteLength) };
    return new Response(body, { status: result.status, headers });
  }
  const { stream, variant, encoder: wire } = result;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | undefined;
  // Removed once the stream is over: undici keeps a Request's signal (and so its listeners) alive for as
  // long as the Request lives, and this listener reaches the Request, so left in place it never dies.
  const onAbort = () => close(new FlowAbortedError('the client disconnected'));
  const release = () => request.signal?.removeEventListener('abort', onAbort);
  const close = (reason: unknown) => {
    release();
    if (sink.closed) return;
    sink.closed = true;
    stream.cancel(reason);
    wake?.();
  };
  request.signal?.addEventListener('abort', onAbort, { once: true });
  // `closed` is a plain field, not a getter: V8 keeps object literals with accessors as dictionaries.
  const sink: StreamSink & { closed: boolean } = {
    closed: false,
    write(data) {
      if (sink.closed) return true;
      controller.enqueue(typeof data === 'string' ? encoder.encode(data) : data);
      return (controller.desiredSize ?? 0) > 0;
    },
    drained: () =>
      new Promise<void>((resolve) => {
        if (sink.closed) resolve();
        else wake = resolve;
      }),
    end() {
      release();
      if (!sink.closed) controller.close();
      sink.closed = true;
    },
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(started) {
        controller = started;
        // pumpStream settles on its own errors; this catch only keeps a transport failure from escaping.
        const retryMs = service.resume?.config.retry_ms ?? 1000;
        const pumped =
          stream instanceof RunReader
            ? pumpRun(stream, sink, { service, retryMs, encoder: wire })
            : pumpStream(stream, sink, { variant, service, encoder: wire });
        pumped.catch((error: unknown) => {
          service.logger.error(`stream writer failed: ${String(error)}`);
          close(error);
        });
      },
      pull() {
        const resolve = wake;
        wake = undefined;
        resolve?.();
      },
      cancel: (reason) =>
        close(new FlowAbortedError(`the client disconnected${reason ? `: ${String(reason)}` : ''}`)),
    },
    // Room for a few KB of frames, so the writer does not wait for a pull after every event.
    { highWaterMark: 16 * 1024, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, { status: 200, headers: result.headers });
}

/** Reads a web request body as text, refusing more than `limit` bytes with 413 without buffering them. */
async function readWebBody(request: Request, limit: number): Promise<string> {
  // A sized body (the service already refused a length over the limit) is read whole: @hono/node-server
  // then reads it from the socket without building a web Request and stream.
  if (/^\d+$/.test(request.headers.get('content-length') ?? '')) {
    const bytes = await readOrRefuse(() => request.arrayBuffer());
    if (bytes.byteLength > limit) throw bodyTooLarge(limit);
    return decodeUtf8(new Uint8Array(bytes));
  }
  if (!request.body) return '';
  // Strict UTF-8 and the BOM kept, as on the Node path (invalid bytes → 400).
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let text = '';
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await readOrRefuse(() => reader.read());
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw bodyTooLarge(limit);
    }
    text += decodeOrRefuse(() => decoder.decode(value, { stream: true }));
  }
  return text + decodeOrRefuse(() => decoder.decode());
}

async function readOrRefuse<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The client left (or sent a broken body) before the body ended: a 400 like on the Node path, never
    // a server error (nothing to log).
    throw new HttpError(400, `the body could not be read: ${errorMessage(error)}`);
  }
}
