import { fakeEmbedding } from './embeddings.js';
import {
  argumentsText,
  type FaultFrames,
  fragments,
  localId,
  pieces,
  promptTokens,
  writeEvents,
} from './event-writer.js';
import { type Exchange, type Provider, sendJson, startUpstream } from './server.js';
import type { LocalUpstream, UpstreamOptions, UpstreamReply, UpstreamScript } from './types.js';

const DEFAULT_ANSWER = 'Hello from the local upstream.';

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

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

type ChatBody = {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
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
    await writeEvents(exchange, headers, chunkFrames(exchange.reply, body), FAULTS);
  },
};

const FAULTS: FaultFrames = {
  invalid: 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{\n\n',
  error: (message) =>
    `data: ${JSON.stringify({ error: { message: message ?? 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`,
};

function refuseChat(body: ChatBody): [number, string] | undefined {
  if (typeof body !== 'object' || body === null)
    return [400, 'We could not parse the JSON body of your request.'];
  if (typeof body.model !== 'string' || !body.model) return [400, 'you must provide a model parameter'];
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return [400, "Invalid 'messages': empty array. Expected an array with minimum length 1."];
  for (const [index, message] of (body.messages as { role?: unknown; tool_call_id?: unknown }[]).entries()) {
    if (!ROLES.has(String(message?.role)))
      return [
        400,
        `Invalid value: '${String(message?.role)}'. Supported values are: 'system', 'assistant', 'user', 'tool'. (messages[${index}].role)`,
      ];
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string')
      return [400, `Missing required parameter: 'messages[${index}].tool_call_id'.`];
  }
  if (body.stream_options !== undefined && body.stream !== true)
    return [400, "The 'stream_options' parameter is only allowed when 'stream' is enabled."];
  return undefined;
}

function refuseEmbeddings(body: unknown): [number, string] | undefined {
  const { model, input } = (body ?? {}) as { model?: unknown; input?: unknown };
  if (typeof model !== 'string' || !model) return [400, 'you must provide a model parameter'];
  const texts = Array.isArray(input) ? input : [input];
  if (texts.length === 0 || texts.some((text) => typeof text !== 'string' || text === ''))
    return [
      400,
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    ];
  return undefined;
}

function textOf(reply: UpstreamReply): { think: string[]; answer: string[] } {
  const defaulted = reply.think === undefined && reply.answer === undefined && !reply.toolCalls?.length;
  return { think: pieces(reply.think), answer: pieces(defaulted ? DEFAULT_ANSWER : reply.answer) };
}

function usageOf(reply: UpstreamReply, body: ChatBody, completionPieces: number) {
  if (reply.usage === false) return undefined;
  const prompt = reply.usage?.prompt_tokens ?? promptTokens(body.messages);
  const completionTokens = reply.usage?.completion_tokens ?? completionPieces;
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
  };
}

/** The `data:` frames of one streamed reply: role, think, answer, tool-call deltas, finish, usage, `[DONE]`. */
function chunkFrames(reply: UpstreamReply, body: ChatBody): string[] {
  const { think, answer } = textOf(reply);
  const calls = reply.toolCalls ?? [];
  const withUsage = body.stream_options?.include_usage === true;
  const base = {
    id: `chatcmpl-${localId()}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: String(body.model),
    system_fingerprint: 'fp_local',
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
  });
  const field = reply.reasoningField ?? 'reasoning_content';
  const events: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of think) events.push(chunk({ [field]: piece }));
  for (const piece of answer) events.push(chunk({ content: piece }));
  for (const [index, call] of calls.entries()) {
    const id = call.id ?? `call_${index}_local`;
    events.push(
      chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const part of fragments(argumentsText(call.arguments))) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  }
  events.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
  const usage = usageOf(reply, body, think.length + answer.length);
  if (withUsage && usage) events.push({ ...base, choices: [], usage });
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}

/** A non-streamed `chat.completion`. */
function completion(reply: UpstreamReply, body: ChatBody) {
  const { think, answer } = textOf(reply);
  const calls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}_local`,
    type: 'function',
    function: { name: call.name, arguments: argumentsText(call.arguments) },
  }));
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: answer.join('') || null,
    refusal: null,
  };
  if (think.length > 0) message[reply.reasoningField ?? 'reasoning_content'] = think.join('');
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: `chatcmpl-${localId()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: String(body.model),
    choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length > 0 ? 'tool_calls' : 'stop' }],
    usage: usageOf(reply, body, think.length + answer.length),
  };
}

function embeddings({ request, response, reply }: Exchange): void {
  const body = request.body as {
    model: string;
    input: string | string[];
    dimensions?: number;
    encoding_format?: string;
  };
  const texts = Array.isArray(body.input) ? body.input : [body.input];
  const dimensions = body.dimensions ?? 16;
  const data = texts.map((text, index) => {
    const vector = fakeEmbedding(text, dimensions);
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  if (reply.reverseEmbeddings) data.reverse();
  const tokens = texts.reduce((sum, text) => sum + promptTokens(text), 0);
  sendJson(response, 200, {
    object: 'list',
    data,
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '***';
}
