import { isPlainObject } from '../config/check-value.js';
import type { InputFieldConfig } from '../config/config-types.js';
import { HttpError } from '../http/http-error.js';
import { IssueList } from '../http/validation-issues.js';
import { type ConversationMessage, conversationInput } from './conversation-input.js';

// useChat's own keys: the rest of the body is the page's extra fields, passed on to the flow.
const TRANSPORT_KEYS = new Set(['id', 'messages', 'trigger', 'messageId']);
const ROLES = new Set(['system', 'user', 'assistant']);

/**
 * The flow input for a `useChat` request (`{id, messages: UIMessage[], trigger, messageId?, …extra}`):
 * the extra fields, `messages` as FlowLLM's `{role, content}` (a message's text parts joined; tool and
 * other parts dropped) and `query` as {@link conversationInput} sets it (`schema`: the flow's
 * `input_schema`). 422 naming the field when the body is not such a request.
 *
 * @example
 * uiChatInput({ id: 'c1', trigger: 'submit-message', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] });
 * // { messages: [{ role: 'user', content: 'Hi' }], query: 'Hi' }
 */
export function uiChatInput(
  body: unknown,
  schema: Readonly<Record<string, InputFieldConfig>> = {},
): Record<string, unknown> {
  const issues = new IssueList();
  if (!isPlainObject(body)) {
    issues.add(['body'], 'Input should be a valid dictionary', 'dict_type', body);
    throw new HttpError(422, issues.detail('body'));
  }
  const raw = body.messages;
  if (!Array.isArray(raw) || raw.length === 0) {
    const [message, type] = Array.isArray(raw)
      ? ['List should have at least 1 item after validation, not 0', 'too_short']
      : ['Input should be a valid list of UI messages', 'list_type'];
    issues.add(['body', 'messages'], message, type, raw);
    throw new HttpError(422, issues.detail('body'));
  }
  const messages: ConversationMessage[] = [];
  for (const [index, message] of raw.entries()) {
    if (issues.stopped) break;
    const loc = ['body', 'messages', index];
    if (!isPlainObject(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      issues.add([...loc, 'role'], "Input should be 'system', 'user' or 'assistant'", 'enum', message);
      continue;
    }
    const content = messageText(message);
    if (content === undefined) {
      issues.add(
        [...loc, 'parts'],
        'Input should be a valid list of message parts',
        'list_type',
        message.parts,
      );
      continue;
    }
    messages.push({ role: message.role, content });
  }
  if (issues.count > 0) throw new HttpError(422, issues.detail('body'));
  const extra = Object.fromEntries(Object.entries(body).filter(([key]) => !TRANSPORT_KEYS.has(key)));
  return { ...extra, ...conversationInput(messages, schema) };
}

/** The chat's id (`useChat`'s `id`), when the body has a usable one. */
export function uiChatId(body: unknown): string | undefined {
  const id = isPlainObject(body) ? body.id : undefined;
  return typeof id === 'string' && id !== '' && id.length <= 256 ? id : undefined;
}

/** A message's text: its `text` parts joined (AI SDK 5+), or a v4-style `content` string. */
function messageText(message: Record<string, unknown>): string | undefined {
  if (Array.isArray(message.parts)) {
    let text = '';
    for (const part of message.parts) {
      if (isPlainObject(part) && part.type === 'text' && typeof part.text === 'string') text += part.text;
    }
    return text;
  }
  return typeof message.content === 'string' ? message.content : undefined;
}
