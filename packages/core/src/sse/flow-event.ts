import type { FlowStreamChunk } from '../chunk.js';

/**
 * What one `data` payload of a FlowLLM stream means: the end of the stream, or a chunk.
 *
 * @example
 * const flowEvent: FlowEvent | null = parseFlowEvent(event.data);
 * if (flowEvent && !flowEvent.done) console.log(flowEvent.chunk.chunk_type);
 */
export type FlowEvent = { done: true } | { done: false; chunk: FlowStreamChunk };

/**
 * Interprets the `data` of one event of a FlowLLM stream: `[DONE]` ends it, a JSON object is a chunk,
 * anything else gives `null` (FlowLLM's own client skips such lines). The chunk's fields are not validated.
 *
 * @example
 * parseFlowEvent('[DONE]'); // { done: true }
 * parseFlowEvent('{"flow_id":"3f2a","chunk_type":"answer","chunk":"Hel","done":false,"metadata":{}}');
 * // { done: false, chunk: { flow_id: '3f2a', chunk_type: 'answer', ... } }
 * parseFlowEvent('not json'); // null
 */
export function parseFlowEvent(data: string): FlowEvent | null {
  if (data === '[DONE]' || data.trim() === '[DONE]') return { done: true };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return { done: false, chunk: value as FlowStreamChunk };
}
