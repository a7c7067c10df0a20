import type { ToolCallChunk } from '../chunk.js';
import type { AssistantMessage, LlmCallOptions, LlmChunk, Message, Usage } from './types.js';

/**
 * Folds a model stream into one assistant message: answer text, think text, tool calls and usage.
 * A backend gets `chat` for free by implementing `stream` only.
 *
 * @example
 * const message = await aggregateChat(llm.stream(messages));
 */
export async function aggregateChat(stream: AsyncIterable<LlmChunk>): Promise<AssistantMessage> {
  let content = '';
  let reasoning = '';
  const toolCalls: ToolCallChunk[] = [];
  let usage: Usage | undefined;
  let signature: string | undefined;
  for await (const chunk of stream) {
    if (chunk.chunk_type === 'answer') content += String(chunk.chunk);
    else if (chunk.chunk_type === 'think') {
      reasoning += String(chunk.chunk);
      if (chunk.signature) signature = chunk.signature;
    } else if (chunk.chunk_type === 'tool') toolCalls.push(chunk.chunk as ToolCallChunk);
    else if (chunk.chunk_type === 'usage') usage = chunk.chunk as unknown as Usage;
  }
  const message: AssistantMessage = { role: 'assistant', content };
  if (reasoning) message.reasoning_content = reasoning;
  if (signature) message.reasoning_signature = signature;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (usage) message.usage = usage;
  return message;
}

/**
 * Base class for chat backends: implement `stream`, inherit `chat` (the stream folded into one
 * assistant message). Register the class through a `BackendDefinition` to use it from config.
 *
 * @example
 * class EchoLlm extends BaseLlm {
 *   readonly backend = 'echo';
 *   readonly modelName = 'echo-1';
 *   async *stream(messages: Message[]): AsyncIterable<LlmChunk> {
 *     yield { chunk_type: 'answer', chunk: messages.at(-1)?.content ?? '' };
 *   }
 * }
 */
export abstract class BaseLlm {
  abstract readonly backend: string;
  abstract readonly modelName: string;
  abstract stream(messages: Message[], options?: LlmCallOptions): AsyncIterable<LlmChunk>;

  chat(messages: Message[], options?: LlmCallOptions): Promise<AssistantMessage> {
    return aggregateChat(this.stream(messages, options));
  }
}
