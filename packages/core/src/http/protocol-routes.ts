import type { FlowllmConfig } from '../config/config-types.js';
import type { Flow } from '../engine/flow.js';
import type { FlowProtocol } from '../protocols/stream-encoder.js';
import { uiChatId } from '../protocols/ui-chat-request.js';
import { createUiMessageEncoder } from '../protocols/ui-message-encoder.js';
import { UI_MESSAGE_STREAM_HEADERS, uiMessageStreamProtocol } from '../protocols/ui-message-protocol.js';
import { SSE_HEADERS } from '../sse/headers.js';
import { validateFlowInput } from './input-validation.js';
import type { FlowService } from './service.js';
import type { ServiceRequest, ServiceResult } from './service-types.js';

const PROTOCOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const NO_CONTENT = (): ServiceResult => ({ status: 204, headers: {}, body: '' });

/** The protocols a service serves below each stream flow: `ui` (unless turned off) and the app's own. */
export function servedProtocols(
  config: FlowllmConfig,
  custom: readonly FlowProtocol[] = [],
): Map<string, FlowProtocol> {
  const served = new Map<string, FlowProtocol>();
  // An app from another (older) copy of the package has no `ui_stream` block: on, the default.
  if (config.ui_stream?.enabled !== false) served.set(uiMessageStreamProtocol.name, uiMessageStreamProtocol);
  if (!Array.isArray(custom)) throw new TypeError('protocols: expected an array of FlowProtocol objects');
  for (const protocol of custom) {
    const name = protocol?.name;
    if (typeof name !== 'string' || !PROTOCOL_NAME.test(name) || name === 'runs')
      throw new TypeError(
        `protocols: the name ${JSON.stringify(name)} must be 1-64 of A-Z a-z 0-9 _ - and not 'runs' (it becomes POST /{flow}/{name})`,
      );
    if (typeof protocol.encoder !== 'function')
      throw new TypeError(`protocols: '${name}' needs an encoder(info) function`);
    const headers = protocol.headers;
    if (
      headers !== undefined &&
      (typeof headers !== 'object' ||
        headers === null ||
        Object.values(headers).some((value) => typeof value !== 'string'))
    )
      throw new TypeError(`protocols: '${name}' headers must be an object of strings`);
    if (served.has(name)) throw new TypeError(`protocols: '${name}' is served twice`);
    served.set(name, protocol);
  }
  return served;
}

/**
 * `POST /{flow}/{protocol}`: the body mapped by the protocol, checked against the flow's `input_schema`
 * as on `POST /{flow}`, then the run streamed in the protocol's wire format — with resume on, as a
 * logged run (and a `useChat` chat's latest run is named for `GET /{flow}/ui/{chatId}/stream`).
 */
export async function protocolRoute(
  service: FlowService,
  flow: Flow,
  protocol: FlowProtocol,
  request: ServiceRequest,
): Promise<ServiceResult> {
  const body = await service.readJson(request);
  const schema = flow.config.input_schema;
  const raw = protocol.toInput ? protocol.toInput(body, { name: flow.name, input_schema: schema }) : body;
  const input = validateFlowInput(schema, raw, 'body');
  const chatId = protocol === uiMessageStreamProtocol ? uiChatId(body) : undefined;
  const resume = service.resume;
  return service.startStream(flow, input, request, {
    variant: 'post',
    headers: protocol.headers ?? SSE_HEADERS,
    encoder: (flowId) => protocol.encoder({ flowId, flow: flow.name, body }),
    resumable: resume !== undefined,
    onRun:
      chatId !== undefined && resume ? (flowId) => resume.nameRun(chatKey(flow, chatId), flowId) : undefined,
  });
}

/**
 * `GET /{flow}/ui/{chatId}/stream`, what `useChat({ resume: true })` asks on load: the chat's running
 * run from its start as a UI message stream, then live. 204 — "no active stream" to the AI SDK — when
 * resume is off, the chat has no run, or its run has ended.
 */
export async function uiResumeRoute(
  service: FlowService,
  flow: Flow,
  chatId: string,
  head: boolean,
): Promise<ServiceResult> {
  const resume = service.resume;
  if (!resume) return NO_CONTENT();
  const flowId = await resume.namedRun(chatKey(flow, chatId));
  if (flowId === undefined) return NO_CONTENT();
  const info = await resume.status(flow.name, flowId);
  if (info?.state !== 'running') return NO_CONTENT();
  const reader = await resume.attach(flow.name, flowId, 0, 'post');
  if (typeof reader === 'string') return NO_CONTENT();
  const headers = { ...UI_MESSAGE_STREAM_HEADERS, 'x-flowllm-run-id': flowId };
  if (head) {
    reader.cancel();
    return { status: 200, headers, body: '' };
  }
  const encoder = createUiMessageEncoder({ flowId });
  return { status: 200, headers, stream: reader, variant: 'post', encoder };
}

/** The store's name for a chat's latest run (chat ids are the page's: scoped by flow). */
function chatKey(flow: Flow, chatId: string): string {
  return `ui:${flow.name}:${chatId}`;
}
