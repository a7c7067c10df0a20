// A prototype of flowllm's fetch path (packages/core/src/http/fetch-handler.ts), same switches as
// node-path.ts (PROTO=coalesce,encode,…) plus `hwm`: a byte-sized high-water mark on the body stream,
// so a write does not wait for the runtime's next pull after every batch.
import { FlowAbortedError, type FlowService, type ServiceRequest } from '@flowllm/core';
import { type ProtoSwitches, pumpStream, type StreamSink } from './node-path.js';

export async function protoFetch(
  service: FlowService,
  request: Request,
  switches: ProtoSwitches & { hwm: boolean },
): Promise<Response> {
  const url = new URL(request.url);
  const serviceRequest: ServiceRequest = {
    method: request.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name) ?? undefined,
    readBody: () => request.text(),
    signal: request.signal,
  };
  const result = await service.handle(serviceRequest);
  if (!result) return new Response('{"detail":"Not Found"}', { status: 404 });
  if (!('stream' in result))
    return new Response(result.body, { status: result.status, headers: result.headers });
  const { stream, variant } = result;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | undefined;
  let closed = false;
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
  const strategy = switches.hwm
    ? { highWaterMark: 16 * 1024, size: (chunk: Uint8Array) => chunk.byteLength }
    : { highWaterMark: 1 };
  const body = new ReadableStream<Uint8Array>(
    {
      start(started) {
        controller = started;
        pumpStream(stream, variant, sink, service, switches).catch((error: unknown) => close(error));
      },
      pull() {
        const resolve = wake;
        wake = undefined;
        resolve?.();
      },
      cancel: (reason) =>
        close(new FlowAbortedError(`the client disconnected${reason ? `: ${String(reason)}` : ''}`)),
    },
    strategy,
  );
  return new Response(body, { status: 200, headers: result.headers });
}
