import type { FlowStreamChunk } from '../chunk.js';
import type { StreamEncoder } from '../protocols/stream-encoder.js';
import { encodeChunkEvent, SSE_DONE } from '../sse/encode.js';
import { framedJsonString } from './json-string.js';

/**
 * `post`: FlowLLM's framing exactly. `event-source`: the same data, plus ids and a named end event.
 *
 * @example
 * new SseFramer('event-source'); // for GET /{flow}?… and a browser EventSource
 */
export type StreamVariant = 'post' | 'event-source';

/**
 * The end of an `EventSource` stream: a `done` event the page closes on. It carries a `data:` line,
 * since browsers drop an event without data.
 *
 * @example
 * source.addEventListener('done', () => source.close()); // in the page: no reconnect after the end
 */
export const EVENT_SOURCE_DONE = 'event:done\ndata:[DONE]\n\n';

const TAIL_NOT_DONE = ',"done":false,"metadata":{}}\n\n';
const TAIL_DONE = ',"done":true,"metadata":{}}\n\n';

/**
 * Turns chunks into SSE text. POST streams are byte-compatible with FlowLLM (`data:{json}` events and
 * `data:[DONE]`). GET streams for `EventSource` number their events with `id:` (so a reconnect after
 * the end carries `Last-Event-ID` and gets 204) and end with `event: done`.
 *
 * @example
 * const framer = new SseFramer('post');
 * response.write(framer.frame(chunk));
 */
export class SseFramer implements StreamEncoder {
  private sequence = 0;
  // `data:{"flow_id":…,"chunk_type":…,"chunk":` of the last chunk's flow and type (a stream's types come
  // in runs: think…, then answer…), so an idle stream holds two short strings, not a map.
  private prefixFlowId = '';
  private prefixType = '';
  private prefix = '';

  constructor(private readonly variant: StreamVariant) {}

  frame(chunk: FlowStreamChunk): string {
    if (this.variant === 'post') return chunk.chunk_type === 'done' ? SSE_DONE : this.dataEvent(chunk);
    this.sequence++;
    if (chunk.chunk_type === 'done') return `id:${this.sequence}\n${EVENT_SOURCE_DONE}`;
    return `id:${this.sequence}\n${this.dataEvent(chunk)}`;
  }

  /**
   * `encodeChunkEvent(chunk)`, byte for byte. A token (text content, no metadata) — nearly every chunk —
   * only serialises its text: the rest of the JSON is the same for the whole stream (createChunk fixes
   * the key order), so it is built once per chunk type.
   */
  private dataEvent(chunk: FlowStreamChunk): string {
    const { chunk: content, done, metadata } = chunk;
    if (typeof content !== 'string' || typeof done !== 'boolean' || !isEmptyPlainObject(metadata))
      return encodeChunkEvent(chunk);
    if (chunk.flow_id !== this.prefixFlowId || chunk.chunk_type !== this.prefixType) {
      this.prefixFlowId = chunk.flow_id;
      this.prefixType = chunk.chunk_type;
      this.prefix = `data:{"flow_id":${JSON.stringify(chunk.flow_id)},"chunk_type":${JSON.stringify(chunk.chunk_type)},"chunk":`;
    }
    // JSON.stringify of a string never holds a raw CR or LF, so this stays one data line.
    return framedJsonString(this.prefix, content, done ? TAIL_DONE : TAIL_NOT_DONE);
  }
}

// JSON.stringify writes `{}` for exactly these: no own keys, no toJSON, an ordinary object.
function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const _ in value) return false;
  return true;
}
