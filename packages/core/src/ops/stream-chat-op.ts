import type { LlmChunk } from '../models/types.js';
import { BaseOp } from '../op/base-op.js';
import { conversationFrom, withSystemPrompt } from './conversation.js';
import { modelCallKey } from './model-call-key.js';

/**
 * FlowLLM's `StreamChatOp`: `[system_prompt] + messages` → streams the LLM's answer, think, tool and
 * error chunks to the client. Usage is not streamed; it lands in `response.metadata.usage`.
 * Each chunk is awaited, so a slow client pauses the model stream (backpressure). With
 * `enable_cache=True` a completed stream is replayed, chunk by chunk, for the same model, messages and
 * parameters (FlowLLM caches no streams).
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> StreamChatOp()
 */
export class StreamChatOp extends BaseOp {
  async execute(): Promise<void> {
    const messages = withSystemPrompt(this.context, conversationFrom(this.context, 'StreamChatOp'));
    // With enable_cache, a completed stream's chunks (not its usage) are recorded and replayed on a hit;
    // a failed or aborted stream throws, so it is never stored.
    const recorded: LlmChunk[] | undefined = this.common.enable_cache ? [] : undefined;
    let live = false;
    const chunks = await this.cache(modelCallKey(this, 'stream', messages), async () => {
      live = true;
      for await (const chunk of this.llm.stream(messages, { signal: this.signal, params: this.params })) {
        if (chunk.chunk_type === 'usage') this.context.response.metadata.usage = chunk.chunk;
        else {
          recorded?.push(chunk);
          await this.context.addStreamChunk(chunk);
        }
      }
      return recorded;
    });
    if (!live) for (const chunk of chunks ?? []) await this.context.addStreamChunk(chunk);
  }
}
