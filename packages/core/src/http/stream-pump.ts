import { createChunk } from '../chunk.js';
import { FlowAbortedError, ShutdownError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
import type { StreamEncoder } from '../protocols/stream-encoder.js';
import type { Heartbeats } from './heartbeat.js';
import { SseFramer, type StreamVariant } from './sse-framer.js';

/** What a transport offers the pump: a write that says whether to wait, and a wait that ends on close. */
export interface StreamSink {
  /** Writes text; false means "wait for `drained()` before writing more". */
  write(text: string): boolean;
  /** Resolves when the transport can take more, or when it closed (never hangs after a disconnect). */
  drained(): Promise<void>;
  /** True once the client is gone. */
  readonly closed: boolean;
  end(): void;
}

/** Open streams of a service, so shutdown can end each one with a final event. */
export type OpenStreams = Set<(reason: string) => void>;

/** How {@link pumpStream} frames a stream, and the service whose heartbeats and shutdown it joins. */
export interface PumpOptions {
  /** The SSE framing: `post` for FlowLLM's POST streams, or another {@link StreamVariant}. */
  variant: StreamVariant;
  service: { heartbeats: Heartbeats; openStreams: OpenStreams };
  /**
   * Another wire format (the UI message stream, OpenAI chunks, your own).
   * @default FlowLLM's, framed by `variant`
   */
  encoder?: StreamEncoder;
}

/**
 * Writes a flow stream to a transport: chunks produced in the same tick leave in one write, a full
 * transport pauses the flow (it stops pulling from the model), idle time gets heartbeats, and a
 * shutdown ends the stream with an error event and `[DONE]`.
 *
 * @example
 * await pumpStream(stream, sink, { variant: 'post', service: { heartbeats, openStreams } });
 */
export async function pumpStream(
  stream: FlowStream,
  sink: StreamSink,
  { variant, service, encoder }: PumpOptions,
): Promise<void> {
  const framer: StreamEncoder = encoder ?? new SseFramer(variant);
  const beat = heartbeatOf(sink, encoder);
  const stopBeating = service.heartbeats.add(beat);
  // Set when the stream has to end early: a shutdown, or a chunk that cannot be written.
  let endReason: string | undefined;
  const shutdown = (reason: string) => {
    endReason = reason;
    stream.cancel(new ShutdownError(reason));
  };
  service.openStreams.add(shutdown);
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await stream.next();
      if (done) finished = true;
      if (done || sink.closed) break;
      // Let the rest of this tick's chunks arrive so they leave in one write (32 events in one write
      // cost 5-7x less CPU than 32 writes); the transport holds writes until the next tick anyway,
      // so this adds no latency.
      await new Promise<void>(nextTick);
      let text = '';
      try {
        text = framer.frame(value);
        for (const chunk of stream.takeQueued()) text += framer.frame(chunk);
      } catch {
        // An op streamed something JSON cannot encode (a BigInt, a cycle): end the stream cleanly,
        // after the chunks framed before it.
        endReason = 'the flow produced a chunk that cannot be encoded';
      }
      beat.lastWriteAt = performance.now();
      if (!sink.write(text)) await sink.drained();
      if (endReason !== undefined) break;
    }
    if (endReason !== undefined && !sink.closed) {
      const error = createChunk(stream.flowId, 'error', endReason, { done: true });
      sink.write(framer.frame(error) + framer.frame(createChunk(stream.flowId, 'done', '', { done: true })));
    }
  } finally {
    stopBeating();
    service.openStreams.delete(shutdown);
    // Whatever ended the writing early, the flow and its model request must stop too.
    if (!finished)
      stream.cancel(
        new FlowAbortedError(sink.closed ? 'the client disconnected' : (endReason ?? 'the stream ended')),
      );
    sink.end();
  }
}

/**
 * The pump's entry in the service's heartbeats: it writes the encoder's own idle text (`': ping'` for
 * SSE formats), or nothing for an encoder that sends none.
 */
export function heartbeatOf(
  sink: StreamSink,
  encoder: StreamEncoder | undefined,
): { lastWriteAt: number; write(text: string): void } {
  const own = encoder?.heartbeat;
  const write =
    own === undefined ? (text: string) => sink.write(text) : own === '' ? () => {} : () => sink.write(own);
  return { lastWriteAt: performance.now(), write };
}

// process.nextTick where there is one (Node, Bun, Deno's Node layer), else a microtask.
const nextTick: (callback: () => void) => void =
  typeof process !== 'undefined' && typeof process.nextTick === 'function'
    ? (callback) => process.nextTick(callback)
    : (callback) => queueMicrotask(callback);
