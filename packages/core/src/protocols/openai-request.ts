import { isPlainObject } from '../config/check-value.js';
import type { InputFieldConfig } from '../config/config-types.js';
import { type ConversationMessage, conversationInput } from './conversation-input.js';
import { OpenAIError } from './openai-error.js';

/**
 * What the facade takes from a Chat Completions request.
 *
 * @example
 * const call: ChatCompletionCall = { model: 'chat', stream: true, includeUsage: true, input: { query: 'Hi', messages: [] } };
 */
export interface ChatCompletionCall {
  /** The flow's name. */
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The flow input before `input_schema` validation. */
  input: Record<string, unknown>;
}

// The keys the facade reads itself: never passed to a flow. Any other key the flow's input_schema
// declares is (even one the API also has, such as `user` or `metadata`: the flow asked for it).
const FACADE_KEYS = new Set(['model', 'messages', 'stream', 'stream_options']);
const ROLES: Record<string, string> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
};

/**
 * Reads a Chat Completions request body: `model` (a flow), `messages` as FlowLLM's `{role, content}`
 * (text parts joined; `developer` read as `system`), `query` as {@link conversationInput} sets it, and the
 * body's other fields that the flow's `input_schema` declares (`extra_body` in the openai SDKs). 400
 * naming the field otherwise.
 *
 * @example
 * readChatCompletionCall({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }] }, {});
 * // { model: 'chat', stream: false, includeUsage: false, input: { messages: [{ role: 'user', content: 'Hi' }], query: 'Hi' } }
 */
export function readChatCompletionCall(
  body: unknown,
  schema: (model: string) => Record<string, InputFieldConfig> | undefined,
): ChatCompletionCall {
  if (!isPlainObject(body)) throw invalid('the body must be a JSON object', null);
  const { model, messages: raw, stream, stream_options: streamOptions } = body;
  if (typeof model !== 'string' || model === '') throw invalid("'model' must be a flow's name", 'model');
  const fields = schema(model);
  if (!fields)
    throw new OpenAIError(404, `The model '${clipped(model)}' does not exist`, {
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean')
    throw invalid("'stream' must be a boolean", 'stream');
  if (streamOptions !== undefined && streamOptions !== null && !isPlainObject(streamOptions))
    throw invalid("'stream_options' must be an object", 'stream_options');
  if (!Array.isArray(raw) || raw.length === 0)
    throw invalid("'messages' must be a non-empty array", 'messages');
  const messages: ConversationMessage[] = [];
  for (const [index, message] of raw.entries()) {
    const role = isPlainObject(message) && typeof message.role === 'string' ? ROLES[message.role] : undefined;
    if (!role || !isPlainObject(message))
      throw invalid(
        `messages[${index}].role must be system, developer, user, assistant or tool`,
        `messages[${index}].role`,
      );
    const content = contentText(message.content);
    if (content === undefined)
      throw invalid(
        `messages[${index}].content must be a string or an array of text parts`,
        `messages[${index}].content`,
      );
    const item: ConversationMessage = { role, content };
    if (role === 'tool' && typeof message.tool_call_id === 'string') item.tool_call_id = message.tool_call_id;
    if (role === 'assistant' && Array.isArray(message.tool_calls)) item.tool_calls = message.tool_calls;
    messages.push(item);
  }
  const declared = Object.fromEntries(
    Object.entries(body).filter(([key]) => Object.hasOwn(fields, key) && !FACADE_KEYS.has(key)),
  );
  return {
    model,
    stream: stream === true,
    includeUsage: isPlainObject(streamOptions) && streamOptions.include_usage === true,
    input: { ...declared, ...conversationInput(messages, fields) },
  };
}

/** A message's text: a string, text parts joined, or '' for null (an assistant turn of tool calls). */
function contentText(content: unknown): string | undefined {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content) {
    if (!isPlainObject(part)) return undefined;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}

function invalid(message: string, param: string | null): OpenAIError {
  return new OpenAIError(400, message, { type: 'invalid_request_error', param });
}

// An unknown model's name is echoed, but never at any length.
function clipped(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
