import { SseFramer, type StreamVariant } from '../http/sse-framer.js';
import type { StreamEncoder } from './stream-encoder.js';

/**
 * FlowLLM's own wire, byte for byte: `data:{chunk json}` events and `data:[DONE]` (`post`), or the
 * same with `id:` lines and a final `event:done` for an `EventSource` (`event-source`).
 *
 * @example
 * const encoder = createFlowllmEncoder();
 * encoder.frame(createChunk('3f2a', 'answer', 'Hel'));
 * // 'data:{"flow_id":"3f2a","chunk_type":"answer","chunk":"Hel","done":false,"metadata":{}}\n\n'
 */
export function createFlowllmEncoder(variant: StreamVariant = 'post'): StreamEncoder {
  return new SseFramer(variant);
}
