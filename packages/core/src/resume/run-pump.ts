import { createChunk } from '../chunk.js';
import type { Heartbeats } from '../http/heartbeat.js';
import { EVENT_SOURCE_DONE } from '../http/sse-framer.js';
import type { OpenStreams, StreamSink } from '../http/stream-pump.js';
import { encodeChunkEvent, SSE_DONE } from '../sse/encode.js';
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
  const framer = new ResumeFramer(reader.variant, reader.flowId, options.retryMs);
  const beat = { lastWriteAt: performance.now(), write: (text: string) => sink.write(text) };
  const stopBeating = service.heartbeats.add(beat);
  let endReason: string | undefined;
  const shutdown = (reason: string) => {
    endReason = reason;
    reader.cancel();
  };
  service.openStreams.add(shutdown);
  try {
    for await (const slice of reader.batches()) {
      if (sink.closed) break;
      let text = '';
      for (let i = 0; i < slice.frames.length; i++)
        text += framer.frame(slice.firstSeq + i, slice.frames[i] as string);
      beat.lastWriteAt = performance.now();
      if (!sink.write(text)) await sink.drained();
      if (sink.closed) break;
      reader.ack(slice.firstSeq + slice.frames.length - 1);
    }
    if (reader.gap) endReason ??= 'events of this run were lost: start the flow again';
    if (endReason !== undefined && !sink.closed) {
      const error = encodeChunkEvent(createChunk(reader.flowId, 'error', endReason, { done: true }));
      sink.write(error + (reader.variant === 'post' ? SSE_DONE : EVENT_SOURCE_DONE));
    }
  } finally {
    stopBeating();
    service.openStreams.delete(shutdown);
    reader.cancel();
    sink.end();
  }
}
