// `@flowllm/core/sse`: the SSE codec and FlowLLM's chunk events on the wire. Listed by name (no `export *`).
export { createChunk, isChunkType } from '../chunk.js';
export { EVENT_SOURCE_DONE } from '../http/sse-framer.js';
export {
  createSseDecoder,
  type SseDecoder,
  type SseDecoderHandlers,
  type SseDecoderOptions,
  type SseEvent,
} from '../sse/decode.js';
export {
  encodeChunkEvent,
  encodeSseComment,
  encodeSseEvent,
  SSE_DONE,
  SSE_HEARTBEAT,
  type SseEncodeOptions,
  type SseEventInit,
} from '../sse/encode.js';
export { SseDecodeError, SseEncodeError } from '../sse/errors.js';
export { type FlowEvent, parseFlowEvent } from '../sse/flow-event.js';
export { SSE_HEADERS } from '../sse/headers.js';
export { type ReadSseEventsOptions, readSseEvents } from '../sse/read.js';
