import type { InputFieldConfig } from '../config/config-types.js';
import { SSE_HEADERS } from '../sse/headers.js';
import type { FlowProtocol } from './stream-encoder.js';
import { uiChatInput } from './ui-chat-request.js';
import { createUiMessageEncoder } from './ui-message-encoder.js';

/**
 * The headers of a UI message stream: SSE's, plus `x-vercel-ai-ui-message-stream: v1`, which the AI SDK
 * asks of a custom backend.
 *
 * @example
 * response.writeHead(200, UI_MESSAGE_STREAM_HEADERS);
 */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...SSE_HEADERS,
  'x-vercel-ai-ui-message-stream': 'v1',
});

/**
 * The built-in `ui` protocol: `POST /{flow}/ui` takes `useChat`'s request body and answers with the AI
 * SDK's UI message stream (on unless `ui_stream.enabled: false`).
 *
 * @example
 * useChat({ transport: new DefaultChatTransport({ api: '/api/chat/ui' }) }); // in the page
 */
export const uiMessageStreamProtocol: FlowProtocol = Object.freeze({
  name: 'ui',
  headers: UI_MESSAGE_STREAM_HEADERS,
  toInput: (body: unknown, flow: { input_schema: Readonly<Record<string, InputFieldConfig>> }) =>
    uiChatInput(body, flow.input_schema),
  // Never the request's `messageId`: on an edit or a regenerate it names a user message, which the
  // client would then overwrite with the answer. A fresh id per run, the same when the run is resumed.
  encoder: ({ flowId }: { flowId: string }) => createUiMessageEncoder({ flowId }),
});
