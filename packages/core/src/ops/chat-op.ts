import type { Usage } from '../models/types.js';
import { BaseOp } from '../op/base-op.js';
import { conversationFrom, withSystemPrompt } from './conversation.js';
import { modelCallKey } from './model-call-key.js';

/**
 * FlowLLM's `ChatOp`: `[system_prompt] + messages` → one LLM call → `response.answer`.
 * Extra kwargs (e.g. `temperature=0.2`) are sent as model parameters. With `enable_cache=True` a reply
 * to the same model, messages and parameters is reused (see `BaseOp.cache`).
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> ChatOp(temperature=0.2)
 */
export class ChatOp extends BaseOp {
  async execute(): Promise<void> {
    const messages = withSystemPrompt(this.context, conversationFrom(this.context, 'ChatOp'));
    // With enable_cache the reply is reused; its usage is not: a cached reply spent no tokens.
    let usage: Usage | undefined;
    const reply = await this.cache(modelCallKey(this, 'chat', messages), async () => {
      const message = await this.llm.chat(messages, { signal: this.signal, params: this.params });
      usage = message.usage;
      return {
        content: message.content,
        reasoning_content: message.reasoning_content,
        tool_calls: message.tool_calls,
      };
    });
    this.context.response.answer = reply.content;
    if (reply.reasoning_content) this.context.response.metadata.reasoning_content = reply.reasoning_content;
    if (reply.tool_calls) this.context.response.metadata.tool_calls = reply.tool_calls;
    if (usage) this.context.response.metadata.usage = usage;
  }
}
