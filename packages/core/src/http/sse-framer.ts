import type { FlowStreamChunk } from '../chunk.js';
import { encodeChunkEvent, SSE_DONE } from '../sse/encode.js';

/**
 * `post`: FlowLLM's framing exactly. `event-source`: the same data, plus ids and a named end event.
 *
 * @example
 * new SseFramer('event-source'); // for GET /{flow}?… and a browser EventSource
 */
export type StreamVariant = 'post' | 'event-source';

/**
 * The end of an `EventSource` stream: a `done` event the page closes on (it carries data: rule A6).
 *
 * @example
 * source.addEventListener('done', () => source.close()); // in the page: no reconnect after the end
 */
export const EVENT_SOURCE_DONE = 'event:done\ndata:[DONE]\n\n';

/**
 * Turns chunks into SSE text. POST streams are byte-compatible with FlowLLM (`data:{json}` events and
 * `data:[DONE]`). GET streams for `EventSource` number their events with `id:` (so a reconnect after
 * the end carries `Last-Event-ID` and gets 204) and end with `event: done`.
 *
 * @example
 * const framer = new SseFramer('post');
 * response.write(framer.frame(chunk));
 */
export class SseFramer {
  private sequence = 0;

  constructor(private readonly variant: StreamVariant) {}

  frame(chunk: FlowStreamChunk): string {
    if (this.variant === 'post') return chunk.chunk_type === 'done' ? SSE_DONE : encodeChunkEvent(chunk);
    this.sequence++;
    if (chunk.chunk_type === 'done') return `id:${this.sequence}\n${EVENT_SOURCE_DONE}`;
    return encodeChunkEvent(chunk, { id: String(this.sequence) });
  }
}
