import type Anthropic from '@anthropic-ai/sdk';
import type { Message, ToolSpec } from './types.js';

type Block =
  | Anthropic.TextBlockParam
  | Anthropic.ThinkingBlockParam
  | Anthropic.ToolUseBlockParam
  | Anthropic.ToolResultBlockParam;

/**
 * FlowLLM's OpenAI-style messages as the Messages API wants them: system messages joined into the
 * `system` parameter; assistant tool calls → `tool_use` blocks; `tool` messages → `tool_result`
 * blocks in a user turn; consecutive turns of one role merged; empty text dropped (the API refuses it).
 *
 * @example
 * toAnthropicMessages([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }])
 * // { system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }
 */
export function toAnthropicMessages(messages: Message[]): {
  system: string | undefined;
  messages: Anthropic.MessageParam[];
} {
  const system = messages
    .filter((message) => message.role === 'system' && message.content)
    .map((message) => message.content)
    .join('\n\n');
  const turns: { role: 'user' | 'assistant'; blocks: Block[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(message);
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  }
  return {
    system: system || undefined,
    messages: turns.map(({ role, blocks }) => {
      const [only] = blocks;
      return { role, content: blocks.length === 1 && only?.type === 'text' ? only.text : blocks };
    }),
  };
}

function blocksOf(message: Message): Block[] {
  if (message.role === 'tool') {
    return [{ type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: message.content }];
  }
  const blocks: Block[] = message.content ? [{ type: 'text', text: message.content }] : [];
  // Signed reasoning goes back first: with thinking on, the API refuses a tool loop without it.
  if (message.role === 'assistant' && message.reasoning_content && message.reasoning_signature) {
    blocks.unshift({
      type: 'thinking',
      thinking: message.reasoning_content,
      signature: message.reasoning_signature,
    });
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      blocks.push({
        type: 'tool_use',
        id: call.id,
        name: call.function.name,
        input: parseInput(call.function.arguments),
      });
    }
  }
  return blocks;
}

function parseInput(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * Tools in the Messages API's shape: OpenAI function tools become `{name, description, input_schema}`;
 * tools already in Anthropic's shape pass through.
 *
 * @example
 * toAnthropicTools([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }])
 */
export function toAnthropicTools(tools: unknown): Anthropic.ToolUnion[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  return tools.map((tool: ToolSpec | Anthropic.ToolUnion) => {
    if (!('function' in tool) || (tool as ToolSpec).type !== 'function') return tool as Anthropic.ToolUnion;
    const { name, description, parameters } = (tool as ToolSpec).function;
    return {
      name,
      ...(description ? { description } : {}),
      input_schema: (parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
    };
  });
}
