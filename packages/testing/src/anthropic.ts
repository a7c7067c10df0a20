import { eventFrames, frame, type MessagesBody, message } from './anthropic-events.js';
import { type FaultFrames, localId, writeEvents } from './event-writer.js';
import { apiKeyOf, type Provider, sendJson, startUpstream } from './server.js';
import { unansweredAnthropicToolUses, unsignedToolTurn } from './tool-pairing.js';
import type { LocalUpstream, UpstreamOptions, UpstreamScript } from './types.js';

const ERROR_TYPES: Record<number, [type: string, message: string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

/**
 * A local server speaking Anthropic's Messages API (`POST /v1/messages`): streamed as `message_start`,
 * `content_block_start` / `content_block_delta` (`thinking_delta`, `signature_delta`, `text_delta`,
 * `input_json_delta`) / `content_block_stop`, `ping`, `message_delta` (usage) and `message_stop` events,
 * or one `message` object. Requests the real API refuses (no `max_tokens`, a `system` role in
 * `messages`, empty text) get its 400 answer.
 *
 * @example
 * const upstream = await startAnthropicUpstream([{ think: 'Hmm.', answer: 'Hi!' }]);
 * const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: upstream.url });
 */
export function startAnthropicUpstream(
  script: UpstreamScript = [],
  options: UpstreamOptions = {},
): Promise<LocalUpstream> {
  return startUpstream(anthropicProvider, script, options);
}

const anthropicProvider: Provider = {
  basePath: '',
  errorBody(status, message) {
    const [type, text] = ERROR_TYPES[status] ?? (status >= 500 ? ERROR_TYPES[500]! : ERROR_TYPES[400]!);
    return { type: 'error', error: { type, message: message ?? text }, request_id: `req_${localId()}` };
  },
  refuse(request, apiKey) {
    if (apiKey !== undefined && apiKeyOf(request) !== apiKey) return [401, 'invalid x-api-key'];
    if (request.method !== 'POST' || request.path !== '/v1/messages') return [404, 'Not found'];
    if (!request.headers['anthropic-version']) return [400, 'anthropic-version: header is required'];
    return refuseMessages(request.body as MessagesBody);
  },
  async respond({ request, reply, response, ...rest }) {
    const body = request.body as MessagesBody;
    if (body.stream !== true) return sendJson(response, 200, message(reply, body));
    const headers = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_${localId()}`,
    };
    await writeEvents({ request, reply, response, ...rest }, eventFrames(reply, body), {
      headers,
      faults: FAULTS,
    });
  },
};

const FAULTS: FaultFrames = {
  invalid: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
  error: (message) =>
    frame('error', { type: 'error', error: { type: 'overloaded_error', message: message ?? 'Overloaded' } }),
};

function refuseMessages(body: MessagesBody): [number, string] | undefined {
  if (typeof body !== 'object' || body === null) return [400, 'Request body is not valid JSON'];
  if (typeof body.model !== 'string' || !body.model) return [400, 'model: Field required'];
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1)
    return [400, 'max_tokens: Field required'];
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system))
    return [400, 'system: Input should be a valid string or list'];
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return [400, 'messages: at least one message is required'];
  for (const [index, item] of (body.messages as { role?: unknown; content?: unknown }[]).entries()) {
    if (item?.role === 'system')
      return [
        400,
        'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
      ];
    if (item?.role !== 'user' && item?.role !== 'assistant')
      return [400, `messages.${index}.role: Input should be 'user' or 'assistant'`];
    if (item.content === '' || (Array.isArray(item.content) && item.content.length === 0))
      return [400, `messages.${index}: all messages must have non-empty content`];
    if (Array.isArray(item.content)) {
      for (const block of item.content as { type?: unknown; text?: unknown }[]) {
        if (block?.type === 'text' && !block.text)
          return [400, `messages.${index}: text content blocks must be non-empty`];
      }
    }
  }
  const messages = body.messages as Parameters<typeof unansweredAnthropicToolUses>[0];
  const unanswered = unansweredAnthropicToolUses(messages);
  if (unanswered) return [400, unanswered];
  const thinkingOn = (body as { thinking?: { type?: unknown } }).thinking?.type === 'enabled';
  const unsigned = thinkingOn ? unsignedToolTurn(messages) : undefined;
  return unsigned ? [400, unsigned] : undefined;
}
