import { createChunk } from '../chunk.js';
import { FlowAbortedError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
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

/**
 * Writes a flow stream to a transport: chunks produced in the same tick leave in one write, a full
 * transport pauses the flow (it stops pulling from the model), idle time gets heartbeats, and a
 * shutdown ends the stream with an error event and `[DONE]`.
 *
 * @example
 * await pumpStream(stream, 'post', sink, { heartbeats, openStreams });
 */
export async function pumpStream(
  stream: FlowStream,
  variant: StreamVariant,
  sink: StreamSink,
  service: { heartbeats: Heartbeats; openStreams: OpenStreams },
): Promise<void> {
  const framer = new SseFramer(variant);
  const beat = { lastWriteAt: performance.now(), write: (text: string) => sink.write(text) };
  const stopBeating = service.heartbeats.add(beat);
  let shutdownReason: string | undefined;
  const shutdown = (reason: string) => {
    shutdownReason = reason;
    stream.cancel(new FlowAbortedError(reason));
  };
  service.openStreams.add(shutdown);
  try {
    for (;;) {
      const { value, done } = await stream.next();
      if (done || sink.closed) break;
      const queued = stream.takeQueued();
      const text = queued.length === 0 ? framer.frame(value) : framer.frameAll([value, ...queued]);
      beat.lastWriteAt = performance.now();
      if (!sink.write(text)) await sink.drained();
    }
    if (shutdownReason !== undefined && !sink.closed) {
      const error = createChunk(stream.flowId, 'error', shutdownReason, { done: true });
      sink.write(framer.frame(error) + framer.frame(createChunk(stream.flowId, 'done', '', { done: true })));
    }
  } finally {
    stopBeating();
    service.openStreams.delete(shutdown);
    if (sink.closed) stream.cancel(new FlowAbortedError('the client disconnected'));
    sink.end();
  }
}
