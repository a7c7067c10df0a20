import type { FlowContext } from '../engine/context.js';
import { FlowllmError } from '../errors.js';
import type { Message } from '../models/types.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/**
 * The conversation of a request: `query` as one user message when given, else the request's
 * `messages` (checked to be `{role, content}` objects). Neither → an error saying which field to send.
 *
 * @example
 * const messages = conversationFrom(context, 'GenSystemPromptOp');
 */
export function conversationFrom(context: FlowContext, opName: string): Message[] {
  const query = context.get<unknown>('query');
  if (typeof query === 'string' && query.trim() !== '') return [{ role: 'user', content: query }];
  const messages = context.get<unknown>('messages');
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new FlowllmError(
      'FLOWLLM_INPUT',
      `${opName} needs a non-empty 'query' or 'messages' in the request`,
      { expose: true, status: 422 },
    );
  }
  messages.forEach((message, index) => {
    const { role, content } = (message ?? {}) as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role) || typeof content !== 'string') {
      throw new FlowllmError(
        'FLOWLLM_INPUT',
        `${opName}: messages[${index}] must be {role: system|user|assistant|tool, content: string}`,
        { expose: true, status: 422 },
      );
    }
  });
  return messages as Message[];
}

/** `[system_prompt] + messages`, the input of ChatOp and StreamChatOp. */
export function withSystemPrompt(context: FlowContext, messages: Message[]): Message[] {
  const systemPrompt = context.get<unknown>('system_prompt');
  if (typeof systemPrompt !== 'string' || systemPrompt === '') return messages;
  return [{ role: 'system', content: systemPrompt }, ...messages];
}

/** The body of the first ```` ```name ```` fenced block (spaces allowed after the fence, as FlowLLM), or undefined. */
export function fencedBlock(text: string, name: string): string | undefined {
  const match = new RegExp(`\`\`\`[ \\t]*${name}\\b[^\\n]*\\n([\\s\\S]*?)\`\`\``).exec(text);
  return match?.[1]?.trim();
}
