import type { FlowContext } from '../../engine/context.js';
import { aggregateChat } from '../../models/aggregate.js';
import type { AssistantMessage, Llm, LlmChunk, Message, ToolSpec, Usage } from '../../models/types.js';

/** One model call of an agent step. */
export interface ModelTurn {
  llm: Llm;
  context: FlowContext;
  messages: Message[];
  tools: ToolSpec[];
  signal: AbortSignal;
  params: Record<string, unknown>;
}

/**
 * Asks the model once, with the tools. A stream flow streams the call's think, answer, tool and error
 * chunks as they come (each awaited: backpressure reaches the model); usage is summed into
 * `response.metadata.usage` instead.
 *
 * @example
 * const reply = await modelTurn({ llm: this.llm, context: this.context, messages, tools, signal: this.signal, params: {} });
 */
export async function modelTurn(turn: ModelTurn): Promise<AssistantMessage> {
  const { llm, context, messages, tools, signal, params } = turn;
  // Calls to tools that were not offered stay, so the agent can tell the model they do not exist.
  const options = { signal, params, allToolCalls: true, ...(tools.length > 0 ? { tools } : {}) };
  const reply = context.stream
    ? await aggregateChat(streamed(llm.stream(messages, options), context))
    : await llm.chat(messages, options);
  if (reply.usage) addUsage(context, reply.usage);
  const { usage: _usage, ...message } = reply;
  return message;
}

async function* streamed(chunks: AsyncIterable<LlmChunk>, context: FlowContext): AsyncGenerator<LlmChunk> {
  for await (const chunk of chunks) {
    if (chunk.chunk_type !== 'usage') await context.addStreamChunk(chunk);
    yield chunk;
  }
}

function addUsage(context: FlowContext, usage: Usage): void {
  const total = (context.response.metadata.usage as Usage | undefined) ?? {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  };
  context.response.metadata.usage = {
    prompt_tokens: total.prompt_tokens + usage.prompt_tokens,
    completion_tokens: total.completion_tokens + usage.completion_tokens,
    total_tokens: total.total_tokens + usage.total_tokens,
  };
}
