import { createChunk, type FlowStreamChunk } from '../chunk.js';
import type { Heartbeats } from '../http/heartbeat.js';
import { EVENT_SOURCE_DONE } from '../http/sse-framer.js';
import { heartbeatOf, type OpenStreams, type StreamSink } from '../http/stream-pump.js';
import type { StreamEncoder } from '../protocols/stream-encoder.js';
import { encodeChunkEvent, SSE_DONE } from '../sse/encode.js';
import { DONE_FRAME } from './memory-event-log.js';
import { ResumeFramer } from './resume-framer.js';
import type { RunReader } from './run-reader.js';

/**
 * What {@link pumpRun} needs of the service: heartbeats, shutdown, and the `retry:` hint.
 *
 * @example
 * const options: RunPumpOptions = { service, retryMs: 1000 };
 */
export interface RunPumpOptions {
  service: { heartbeats: Heartbeats; openStreams: OpenStreams };
  retryMs: number;
  /**
   * Writes the run in another wire format (the UI message stream): each logged chunk is decoded and
   * framed by it, without ids (such clients replay a run from its start).
   * @default FlowLLM's wire with `id:` lines
   */
  encoder?: StreamEncoder;
}

/**
 * Writes a run reader's frames to a transport with ids, waiting on a full transport (which holds the
 * run's model once this reader is 64 events behind). A disconnect only detaches the reader. A gap in
 * the log, or a shutdown, ends the response with an error event and `[DONE]` that carry no id, so a
 * client resuming later still starts from the last event it really had.
 *
 * @example
 * await pumpRun(reader, sink, { service, retryMs: 1000 });
 */
export async function pumpRun(reader: RunReader, sink: StreamSink, options: RunPumpOptions): Promise<void> {
  const { service } = options;
  const framer = options.encoder
    ? new EncodedFramer(options.encoder, reader)
    : new ResumeFramer(reader.variant, reader.flowId, options.retryMs);
  const beat = heartbeatOf(sink, options.encoder);
  service.heartbeats.add(beat);
  let endReason: string | undefined;
  const open = {
    shutdown(reason: string) {
      endReason = reason;
      reader.cancel();
    },
  };
  service.openStreams.add(open);
  try {
    for await (const slice of reader.batches()) {
      if (sink.closed) break;
      let text = '';
      for (let i = 0; i < slice.frames.length; i++)
        text += framer.frame(slice.firstSeq + i, slice.frames[i] as string);
      beat.wrote = true;
      if (!sink.write(text)) await sink.drained();
      if (sink.closed) break;
      reader.ack(slice.firstSeq + slice.frames.length - 1);
    }
    if (reader.gap) endReason ??= 'events of this run were lost: start the flow again';
    if (endReason !== undefined && !sink.closed) sink.write(endFrames(reader, endReason, options.encoder));
  } finally {
    service.heartbeats.remove(beat);
    service.openStreams.delete(open);
    reader.cancel();
    sink.end();
  }
}

/** The error event and end of a response cut short (they carry no id: they were never logged). */
function endFrames(reader: RunReader, reason: string, encoder: StreamEncoder | undefined): string {
  const error = createChunk(reader.flowId, 'error', reason, { done: true });
  if (encoder)
    return encoder.frame(error) + encoder.frame(createChunk(reader.flowId, 'done', '', { done: true }));
  return encodeChunkEvent(error) + (reader.variant === 'post' ? SSE_DONE : EVENT_SOURCE_DONE);
}

/** Logged payloads (a chunk's JSON, or `[DONE]`) decoded and framed by another encoder. */
class EncodedFramer {
  constructor(
    private readonly encoder: StreamEncoder,
    private readonly reader: RunReader,
  ) {}

  frame(_seq: number, payload: string): string {
    if (payload !== DONE_FRAME) return this.encoder.frame(JSON.parse(payload) as FlowStreamChunk);
    // The log keeps `[DONE]` alone: the run's usage is known only where it runs.
    const usage = this.reader.usage;
    const metadata = usage === undefined ? {} : { usage };
    return this.encoder.frame(createChunk(this.reader.flowId, 'done', '', { done: true, metadata }));
  }
}
