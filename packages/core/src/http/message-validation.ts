import { isPlainObject } from '../config/check-value.js';
import { laxCoerce } from '../config/lax-coercion.js';
import type { IssueList } from './validation-issues.js';

/** FlowLLM's `Role` values, the only ones a message may carry. */
export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const;

const ROLES_TEXT = "'system', 'user', 'assistant' or 'tool'";
// FlowLLM's Message fields that are plain types; `name` may also be null.
const TYPED_FIELDS = {
  name: 'string',
  reasoning_content: 'string',
  tool_call_id: 'string',
  metadata: 'object',
  tool_calls: 'array',
} as const;

/**
 * Checks the items of a request's `messages` as FlowLLM's `List[Message]` does: each is an object,
 * `role` one of system/user/assistant/tool (default `user`), `content` a string (default `""`) or a
 * list of content-block objects, and the other Message fields of their type; a null `name` is
 * dropped (pydantic's exclude_none). Returns the messages with those defaults filled in.
 *
 * @example
 * checkMessages([{ content: 'hi' }], ['body', 'messages'], issues); // [{ content: 'hi', role: 'user' }]
 * checkMessages([{ role: 'bot' }], ['body', 'messages'], issues); // notes an `enum` issue at messages.0.role
 */
export function checkMessages(messages: unknown[], loc: (string | number)[], issues: IssueList): unknown[] {
  const checked: unknown[] = [];
  for (let index = 0; index < messages.length && !issues.stopped; index++) {
    checked.push(checkMessage(messages[index], [...loc, index], issues));
  }
  return checked;
}

function checkMessage(message: unknown, loc: (string | number)[], issues: IssueList): unknown {
  if (!isPlainObject(message)) {
    issues.add(loc, 'Input should be a valid dictionary or instance of Message', 'model_type', message);
    return message;
  }
  const checked: Record<string, unknown> = { ...message };
  if (!Object.hasOwn(message, 'role')) checked.role = 'user';
  else if (!MESSAGE_ROLES.some((role) => role === message.role))
    issues.add([...loc, 'role'], `Input should be ${ROLES_TEXT}`, 'enum', message.role);
  if (!Object.hasOwn(message, 'content')) checked.content = '';
  else checkContent(message.content, [...loc, 'content'], issues);
  if (message.name === null) delete checked.name;
  for (const [field, type] of Object.entries(TYPED_FIELDS)) {
    if (!Object.hasOwn(checked, field)) continue;
    const result = laxCoerce(type, checked[field]);
    if (!result.ok) issues.add([...loc, field], result.msg, result.type, checked[field]);
  }
  return checked;
}

// `str | List[ContentBlock]`: pydantic reports a failed union once per member, naming it in loc.
function checkContent(content: unknown, loc: (string | number)[], issues: IssueList): void {
  if (typeof content === 'string') return;
  const blocks = Array.isArray(content) ? content : undefined;
  if (blocks?.every(isPlainObject)) return;
  issues.add([...loc, 'str'], 'Input should be a valid string', 'string_type', content);
  const member = [...loc, 'list[ContentBlock]'];
  if (!blocks) {
    issues.add(member, 'Input should be a valid list', 'list_type', content);
    return;
  }
  for (let index = 0; index < blocks.length && !issues.stopped; index++) {
    if (!isPlainObject(blocks[index]))
      issues.add(
        [...member, index],
        'Input should be a valid dictionary or instance of ContentBlock',
        'model_type',
        blocks[index],
      );
  }
}
