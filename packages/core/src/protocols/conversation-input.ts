import type { InputFieldConfig } from '../config/config-types.js';

/** A message as a protocol hands it to a flow (FlowLLM's `Message` shape). */
export interface ConversationMessage {
  role: string;
  content: string;
  tool_call_id?: string;
  tool_calls?: unknown[];
}

/**
 * The flow input of a conversation a client sends: its `messages`, and `query` (the last user
 * message's text) only when that says it all — a lone user message — or when the flow's own
 * `input_schema` declares `query`. FlowLLM's chat ops use a non-empty `query` instead of `messages`,
 * so setting it always would drop the history and the system prompt. Assistant turns with no text and
 * no tool calls (a UI message of tool parts only) are left out: providers refuse empty turns.
 *
 * @example
 * conversationInput([{ role: 'user', content: 'Hi' }], {}); // { messages: [...], query: 'Hi' }
 */
export function conversationInput(
  messages: readonly ConversationMessage[],
  schema: Readonly<Record<string, InputFieldConfig>>,
): { messages: ConversationMessage[]; query?: string } {
  const kept = messages.filter(
    (message) =>
      message.role !== 'assistant' || message.content !== '' || (message.tool_calls?.length ?? 0) > 0,
  );
  const lastUser = [...kept].reverse().find((message) => message.role === 'user');
  const alone = kept.length === 1 && kept[0]?.role === 'user';
  const wanted = alone || Object.hasOwn(schema, 'query');
  return wanted && lastUser ? { messages: kept, query: lastUser.content } : { messages: kept };
}
