import { argumentsText, fragments, localId, pieces, promptTokens } from './event-writer.js';
import { unansweredOpenAiToolCalls } from './tool-pairing.js';
import type { UpstreamReply } from './types.js';

const DEFAULT_ANSWER = 'Hello from the local upstream.';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** The fields of a Chat Completions request the upstream looks at. */
export type ChatBody = {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
};

/** The 400 answer the real API gives a request it refuses, as `[status, message]`. */
export function refuseChat(body: ChatBody): [number, string] | undefined {
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
  const unanswered = unansweredOpenAiToolCalls(
    body.messages as Parameters<typeof unansweredOpenAiToolCalls>[0],
  );
  if (unanswered) return [400, unanswered];
  if (body.stream_options !== undefined && body.stream !== true)
    return [400, "The 'stream_options' parameter is only allowed when 'stream' is enabled."];
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
export function chunkFrames(reply: UpstreamReply, body: ChatBody): string[] {
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
  const extras = reply.deltaExtras ?? {};
  const events: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of think) events.push(chunk({ ...extras, [field]: piece }));
  for (const piece of answer) events.push(chunk({ ...extras, content: piece }));
  for (const [index, call] of calls.entries()) {
    const id = call.id ?? `call_${index}_local`;
    const at = reply.omitToolCallIndex ? {} : { index };
    events.push(
      chunk({ tool_calls: [{ ...at, id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const part of fragments(argumentsText(call.arguments))) {
      events.push(chunk({ tool_calls: [{ ...at, function: { arguments: part } }] }));
    }
  }
  events.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
  const usage = usageOf(reply, body, think.length + answer.length);
  if (withUsage && usage) events.push({ ...base, choices: [], usage });
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}

/** A non-streamed `chat.completion`. */
export function completion(reply: UpstreamReply, body: ChatBody) {
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
