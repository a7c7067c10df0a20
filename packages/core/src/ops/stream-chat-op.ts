import { BaseOp } from '../op/base-op.js';
import { conversationFrom, withSystemPrompt } from './conversation.js';

/**
 * FlowLLM's `StreamChatOp`: `[system_prompt] + messages` → streams the LLM's answer, think, tool and
 * error chunks to the client. Usage is not streamed; it lands in `response.metadata.usage`.
 * Each chunk is awaited, so a slow client pauses the model stream (backpressure).
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> StreamChatOp()
 */
export class StreamChatOp extends BaseOp {
  async execute(): Promise<void> {
    const messages = withSystemPrompt(this.context, conversationFrom(this.context, 'StreamChatOp'));
    for await (const chunk of this.llm.stream(messages, { signal: this.signal, params: this.params })) {
      if (chunk.chunk_type === 'usage') this.context.response.metadata.usage = chunk.chunk;
      else await this.context.addStreamChunk(chunk);
    }
  }
}
