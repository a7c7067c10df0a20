/**
 * The real APIs refuse a conversation in which a tool call is not answered: OpenAI wants every
 * assistant `tool_calls` id answered by the `tool` messages right after it; Anthropic wants every
 * `tool_use` block answered by a `tool_result` block in the next (user) message.
 */

type OpenAiMessage = { role?: unknown; tool_calls?: { id?: unknown }[]; tool_call_id?: unknown };

/** OpenAI's 400 text for unanswered tool calls, or undefined when every call is answered. */
export function unansweredOpenAiToolCalls(messages: OpenAiMessage[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'assistant' || !Array.isArray(message.tool_calls)) continue;
    const answered = new Set<unknown>();
    for (let next = index + 1; messages[next]?.role === 'tool'; next++)
      answered.add(messages[next]?.tool_call_id);
    const missing = message.tool_calls.map((call) => call?.id).filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`;
    }
  }
  return undefined;
}

type AnthropicBlock = { type?: unknown; id?: unknown; tool_use_id?: unknown };
type AnthropicMessage = { role?: unknown; content?: unknown };

/** Anthropic's 400 text for `tool_use` blocks without a `tool_result` in the next message. */
export function unansweredAnthropicToolUses(messages: AnthropicMessage[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) continue;
    const uses = (message.content as AnthropicBlock[]).filter((block) => block?.type === 'tool_use');
    if (uses.length === 0) continue;
    const next = messages[index + 1]?.content;
    const results = new Set(
      (Array.isArray(next) ? (next as AnthropicBlock[]) : [])
        .filter((block) => block?.type === 'tool_result')
        .map((block) => block.tool_use_id),
    );
    const missing = uses.map((block) => block.id).filter((id) => !results.has(id));
    if (missing.length > 0) {
      return `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  return undefined;
}

/**
 * With extended thinking on, Anthropic refuses an assistant turn that calls tools unless it starts
 * with its (signed) thinking block: a tool loop must send the reasoning back.
 */
export function unsignedToolTurn(messages: AnthropicMessage[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) continue;
    const blocks = message.content as (AnthropicBlock & { signature?: unknown })[];
    if (!blocks.some((block) => block?.type === 'tool_use')) continue;
    const first = blocks[0];
    const signed =
      first?.type === 'thinking' && typeof first.signature === 'string' && first.signature !== '';
    if (!signed && first?.type !== 'redacted_thinking') {
      return `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns.`;
    }
  }
  return undefined;
}
