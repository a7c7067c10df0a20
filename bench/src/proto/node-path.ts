// A prototype of flowllm's Node path, copied from packages/core/src/http (handleNodeRequest, nodeSink,
// pumpStream, SseFramer/encodeChunkEvent) with each proposed optimisation behind a switch, so the
// harness can measure what each one gains: PROTO=coalesce,encode,beat node … (target `proto-node`).
// Not product code: the product keeps its own copies; this file only measures proposals.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createChunk,
  EVENT_SOURCE_DONE,
  encodeChunkEvent,
  FlowAbortedError,
  type FlowService,
  type FlowStream,
  type FlowStreamChunk,
  type ServiceRequest,
  SSE_DONE,
  type StreamVariant,
} from '@flowllm/core';

export interface ProtoSwitches {
  /** Pump: after the first chunk, wait one process.nextTick so every chunk of the tick leaves in one write. */
  coalesce: boolean;
  /** Encoder: a template for the common chunk (string content, empty metadata), JSON.stringify only the text. */
  encode: boolean;
  /** Heartbeat bookkeeping: a "wrote" flag instead of performance.now() on every write. */
  beat: boolean;
  /** Sink: skip `flush?.()` lookups when the response has no flush (no compression middleware). */
  flush: boolean;
}

export function switchesFrom(text = ''): ProtoSwitches & { hwm: boolean } {
  const on = new Set(text.split(',').map((word) => word.trim()));
  const all = on.has('all');
  return {
    coalesce: all || on.has('coalesce'),
    encode: all || on.has('encode'),
    beat: all || on.has('beat'),
    flush: all || on.has('flush'),
    hwm: all || on.has('hwm'),
  };
}

// ---- encoder (proposal for packages/core/src/sse/encode.ts encodeChunkEvent + http/sse-framer.ts)

/** `data:` + JSON of a chunk, byte-identical to `JSON.stringify(chunk)`, for the common shape. */
export class ChunkEncoder {
  private flowId = '';
  private readonly prefixes = new Map<string, string>();

  encode(chunk: FlowStreamChunk): string {
    const content = chunk.chunk;
    if (typeof content !== 'string' || !isEmpty(chunk.metadata)) return encodeChunkEvent(chunk);
    if (chunk.flow_id !== this.flowId) {
      this.flowId = chunk.flow_id;
      this.prefixes.clear();
    }
    let prefix = this.prefixes.get(chunk.chunk_type);
    if (prefix === undefined) {
      prefix = `data:{"flow_id":${JSON.stringify(chunk.flow_id)},"chunk_type":${JSON.stringify(chunk.chunk_type)},"chunk":`;
      this.prefixes.set(chunk.chunk_type, prefix);
    }
    // JSON.stringify of a string never contains a raw CR or LF: one data line.
    return `${prefix}${JSON.stringify(content)}${chunk.done ? ',"done":true,"metadata":{}}\n\n' : ',"done":false,"metadata":{}}\n\n'}`;
  }
}

function isEmpty(object: Record<string, unknown>): boolean {
  for (const _ in object) return false;
  return true;
}

class ProtoFramer {
  private sequence = 0;
  private readonly encoder: ChunkEncoder | undefined;

  constructor(
    private readonly variant: StreamVariant,
    fast: boolean,
  ) {
    this.encoder = fast ? new ChunkEncoder() : undefined;
  }

  frame(chunk: FlowStreamChunk): string {
    if (this.variant === 'post') {
      if (chunk.chunk_type === 'done') return SSE_DONE;
      return this.encoder ? this.encoder.encode(chunk) : encodeChunkEvent(chunk);
    }
    this.sequence++;
    if (chunk.chunk_type === 'done') return `id:${this.sequence}\n${EVENT_SOURCE_DONE}`;
    return encodeChunkEvent(chunk, { id: String(this.sequence) });
  }
}

// ---- pump (proposal for packages/core/src/http/stream-pump.ts)

export interface StreamSink {
  write(text: string): boolean;
  drained(): Promise<void>;
  readonly closed: boolean;
  end(): void;
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

export async function pumpStream(
  stream: FlowStream,
  variant: StreamVariant,
  sink: StreamSink,
  service: FlowService,
  switches: ProtoSwitches,
): Promise<void> {
  const framer = new ProtoFramer(variant, switches.encode);
  const beat = { lastWriteAt: performance.now(), write: (text: string) => sink.write(text) };
  const stopBeating = service.heartbeats.add(beat);
  let endReason: string | undefined;
  const shutdown = (reason: string) => {
    endReason = reason;
    stream.cancel(new FlowAbortedError(reason));
  };
  service.openStreams.add(shutdown);
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await stream.next();
      if (done) finished = true;
      if (done || sink.closed) break;
      let text: string;
      try {
        text = framer.frame(value);
        // Let the producer run to the end of this tick (or to the channel's high-water mark).
        if (switches.coalesce) await nextTick();
        for (const chunk of stream.takeQueued()) text += framer.frame(chunk);
      } catch {
        endReason = 'the flow produced a chunk that cannot be encoded';
        break;
      }
      if (!switches.beat) beat.lastWriteAt = performance.now();
      else beat.lastWriteAt = 0;
      if (!sink.write(text)) await sink.drained();
    }
    if (endReason !== undefined && !sink.closed) {
      const error = createChunk(stream.flowId, 'error', endReason, { done: true });
      sink.write(framer.frame(error) + framer.frame(createChunk(stream.flowId, 'done', '', { done: true })));
    }
  } finally {
    stopBeating();
    service.openStreams.delete(shutdown);
    if (!finished)
      stream.cancel(
        new FlowAbortedError(sink.closed ? 'the client disconnected' : (endReason ?? 'the stream ended')),
      );
    sink.end();
  }
}

// ---- node handler (copy of packages/core/src/http/node-handler.ts, POST streams only)

function nodeSink(response: ServerResponse, disconnected: AbortSignal, switches: ProtoSwitches): StreamSink {
  const writable = response as ServerResponse & { flush?: () => void };
  const flush = switches.flush ? writable.flush?.bind(writable) : undefined;
  return {
    write(text) {
      if (disconnected.aborted) return true;
      const ok = writable.write(text);
      if (switches.flush) flush?.();
      else writable.flush?.();
      return ok;
    },
    drained() {
      return new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          response.off('error', done);
          resolve();
        };
        if (disconnected.aborted) return resolve();
        response.on('drain', done);
        response.on('close', done);
        response.on('error', done);
      });
    },
    get closed() {
      return disconnected.aborted;
    },
    end() {
      if (!disconnected.aborted && !response.writableEnded) response.end();
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

async function handle(
  service: FlowService,
  request: IncomingMessage,
  response: ServerResponse,
  switches: ProtoSwitches,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const disconnect = new AbortController();
  response.once('close', () => {
    if (!response.writableEnded) disconnect.abort(new FlowAbortedError('the client disconnected'));
  });
  const serviceRequest: ServiceRequest = {
    method: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: () => readBody(request),
    signal: disconnect.signal,
  };
  const result = await service.handle(serviceRequest);
  if (!result || !('stream' in result)) {
    response.writeHead(result?.status ?? 404, result?.headers ?? {});
    response.end(result && 'body' in result ? result.body : '');
    return;
  }
  if (disconnect.signal.aborted) {
    result.stream.cancel(disconnect.signal.reason);
    return;
  }
  response.writeHead(200, result.headers);
  response.flushHeaders();
  await pumpStream(
    result.stream,
    result.variant,
    nodeSink(response, disconnect.signal, switches),
    service,
    switches,
  );
}

export function protoServer(service: FlowService, switches: ProtoSwitches) {
  return createServer((request, response) => {
    handle(service, request, response, switches).catch(() => response.destroy());
  });
}
