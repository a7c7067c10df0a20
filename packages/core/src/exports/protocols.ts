// `@flowllm/core/protocols`: the wire formats a flow's stream is written in, and the interface for your
// own. Listed by name (no `export *`).
export type { StreamVariant } from '../http/sse-framer.js';
export { createFlowllmEncoder } from '../protocols/flowllm-encoder.js';
export {
  createOpenAIChunkEncoder,
  type OpenAIChunkEncoderOptions,
} from '../protocols/openai-chunk-encoder.js';
export type { EncoderInfo, FlowProtocol, StreamEncoder } from '../protocols/stream-encoder.js';
export { uiChatInput } from '../protocols/ui-chat-request.js';
export {
  createUiMessageEncoder,
  type UiMessageEncoderOptions,
} from '../protocols/ui-message-encoder.js';
export { UI_MESSAGE_STREAM_HEADERS, uiMessageStreamProtocol } from '../protocols/ui-message-protocol.js';
