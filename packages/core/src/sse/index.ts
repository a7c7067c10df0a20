// The SSE codec's public surface, listed by name so it stays visible (no `export *`).
export {
  createSseDecoder,
  type SseDecoder,
  type SseDecoderHandlers,
  type SseDecoderOptions,
  type SseEvent,
} from './decode.js';
export {
  encodeChunkEvent,
  encodeSseComment,
  encodeSseEvent,
  SSE_DONE,
  SSE_HEARTBEAT,
  type SseEncodeOptions,
  type SseEventInit,
} from './encode.js';
export { SseDecodeError, SseEncodeError } from './errors.js';
export { type FlowEvent, parseFlowEvent } from './flow-event.js';
export { SSE_HEADERS } from './headers.js';
export { type ReadSseEventsOptions, readSseEvents } from './read.js';
