import { FlowAbortedError } from '../engine/flow-errors.js';
import { bodyTooLarge } from './http-error.js';
import type { FlowService } from './service.js';
import type { ServiceRequest } from './service-types.js';
import { pumpStream, type StreamSink } from './stream-pump.js';

export interface FetchHandleOptions {
  /** The path below the mount point; default the request URL's path. */
  path?: string;
  /** A body a framework already parsed. */
  parsedBody?: unknown;
}

/**
 * Serves a web `Request` and returns a `Response` (Hono, Next.js route handlers, Bun, Deno, h3).
 * Stream bodies are pull-based byte streams: the flow only runs ahead of the reader by what the
 * runtime asked for, and cancelling the body (or the request's signal) aborts the flow.
 * Returns `undefined` when the path is not ours, so a router can fall through.
 *
 * @example
 * export const POST = (request: Request) => handleFetchRequest(service, request);
 */
export async function handleFetchRequest(
  service: FlowService,
  request: Request,
  options: FetchHandleOptions = {},
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const serviceRequest: ServiceRequest = {
    method: request.method.toUpperCase(),
    path: options.path ?? url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name) ?? undefined,
    readBody: (limit) => readWebBody(request, limit),
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
  const { stream, variant } = result;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | undefined;
  let closed = false;
  // Removed once the stream is over: undici keeps a Request's signal (and so its listeners) alive for as
  // long as the Request lives, and this listener reaches the Request, so left in place it never dies.
  const onAbort = () => close(new FlowAbortedError('the client disconnected'));
  const release = () => request.signal?.removeEventListener('abort', onAbort);
  const close = (reason: unknown) => {
    release();
    if (closed) return;
    closed = true;
    stream.cancel(reason);
    wake?.();
  };
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const sink: StreamSink = {
    write(text) {
      if (closed) return true;
      controller.enqueue(encoder.encode(text));
      return (controller.desiredSize ?? 0) > 0;
    },
    drained: () =>
      new Promise<void>((resolve) => {
        if (closed) resolve();
        else wake = resolve;
      }),
    get closed() {
      return closed;
    },
    end() {
      release();
      if (!closed) controller.close();
      closed = true;
    },
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(started) {
        controller = started;
        // pumpStream settles on its own errors; this catch only keeps a transport failure from escaping.
        pumpStream(stream, variant, sink, service).catch((error: unknown) => {
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
    { highWaterMark: 1 },
  );
  return new Response(body, { status: 200, headers: result.headers });
}

/** Reads a web request body as text, refusing more than `limit` bytes with 413 without buffering them. */
async function readWebBody(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw bodyTooLarge(limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
