import { type FaultFrames, localId, writeEvents } from './event-writer.js';
import { type ChatBody, chunkFrames, completion, refuseChat } from './openai-chat.js';
import { embeddings, refuseEmbeddings } from './openai-embeddings.js';
import { type Provider, sendJson, startUpstream } from './server.js';
import type { LocalUpstream, UpstreamOptions, UpstreamScript } from './types.js';

const ERROR_TYPES: Record<number, [type: string, code: string | null, message: string]> = {
  400: ['invalid_request_error', null, 'Invalid request.'],
  401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
  403: ['invalid_request_error', 'unsupported_country_region_territory', 'Access denied.'],
  404: [
    'invalid_request_error',
    'model_not_found',
    'The model does not exist or you do not have access to it.',
  ],
  429: ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.'],
  500: ['server_error', null, 'The server had an error while processing your request. Sorry about that!'],
  503: ['server_error', null, 'The engine is currently overloaded, please try again later.'],
};

/**
 * A local server speaking OpenAI's Chat Completions API (`POST /v1/chat/completions`, streaming
 * `chat.completion.chunk` events ending with `data: [DONE]`, or one `chat.completion` object) and the
 * Embeddings API (`POST /v1/embeddings`, float or base64). Every request takes the next scripted reply.
 *
 * @example
 * const upstream = await startOpenAiUpstream([{ think: 'Hmm.', answer: 'Hi!', usage: { prompt_tokens: 3, completion_tokens: 2 } }]);
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: upstream.url });
 */
export function startOpenAiUpstream(
  script: UpstreamScript = [],
  options: UpstreamOptions = {},
): Promise<LocalUpstream> {
  return startUpstream(openAiProvider, script, options);
}

const openAiProvider: Provider = {
  basePath: '/v1',
  errorBody(status, message) {
    const [type, code, text] = ERROR_TYPES[status] ?? (status >= 500 ? ERROR_TYPES[500]! : ERROR_TYPES[400]!);
    return { error: { message: message ?? text, type, param: null, code } };
  },
  refuse(request, apiKey) {
    const auth = String(request.headers.authorization ?? '');
    if (apiKey !== undefined && auth !== `Bearer ${apiKey}`) {
      const given = auth.replace(/^Bearer\s+/i, '');
      return [
        401,
        `Incorrect API key provided: ${mask(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      ];
    }
    if (request.method !== 'POST') return [404, `Invalid URL (${request.method} ${request.path})`];
    if (request.path.endsWith('/embeddings')) return refuseEmbeddings(request.body);
    if (!request.path.endsWith('/chat/completions')) return [404, `Invalid URL (POST ${request.path})`];
    return refuseChat(request.body as ChatBody);
  },
  async respond(exchange) {
    if (exchange.request.path.endsWith('/embeddings')) return embeddings(exchange);
    const body = exchange.request.body as ChatBody;
    if (body.stream !== true) return sendJson(exchange.response, 200, completion(exchange.reply, body));
    const headers = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': `req_${localId()}`,
    };
    await writeEvents(exchange, chunkFrames(exchange.reply, body), { headers, faults: FAULTS });
  },
};

const FAULTS: FaultFrames = {
  invalid: 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{\n\n',
  error: (message) =>
    `data: ${JSON.stringify({ error: { message: message ?? 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`,
};

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '***';
}
