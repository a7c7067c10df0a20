import type { Message, ToolSpec } from './types.js';

/**
 * What the unscripted mock model does when an agent offers it tools, so an offline agent shows a
 * whole tool loop: it calls one tool (the first that is not `think_tool`) with the user's words in
 * every required text field, then — once the results are back — answers from them.
 *
 * @example
 * offlineAgentTurn('ai news', [{ role: 'user', content: 'ai news' }], [searchTool]);
 * // { answer: '', tool_calls: [{ name: 'mock_search', arguments: { query: 'ai news' } }] }
 */
export function offlineAgentTurn(
  input: string,
  messages: Message[],
  tools: ToolSpec[] | undefined,
): { answer?: string; tool_calls?: { name: string; arguments: unknown }[] } {
  const results = toolResultsSinceLastUser(messages);
  if (results.length > 0) {
    const shown = results.join('\n').slice(0, 300);
    return { answer: `Offline mock answer to "${input}", from the tool results: ${shown}` };
  }
  const tool = tools?.find((spec) => spec.function.name !== 'think_tool') ?? tools?.[0];
  if (!tool) return {};
  return { answer: '', tool_calls: [{ name: tool.function.name, arguments: argumentsFor(tool, input) }] };
}

function toolResultsSinceLastUser(messages: Message[]): string[] {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role !== 'user'; i--) {
    const message = messages[i];
    if (message?.role === 'tool') results.unshift(message.content);
  }
  return results;
}

const EMPTY_OF_TYPE: Record<string, unknown> = {
  array: [],
  object: {},
  integer: 0,
  number: 0,
  boolean: false,
};

function argumentsFor(tool: ToolSpec, input: string): Record<string, unknown> {
  const parameters = (tool.function.parameters ?? {}) as {
    properties?: Record<string, { type?: string }>;
    required?: string[];
  };
  const args: Record<string, unknown> = {};
  for (const name of parameters.required ?? []) {
    const type = parameters.properties?.[name]?.type ?? 'string';
    args[name] = type === 'string' ? input : EMPTY_OF_TYPE[type];
  }
  return args;
}
