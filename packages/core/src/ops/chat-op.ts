import { BaseOp } from '../op/base-op.js';
import { conversationFrom, withSystemPrompt } from './conversation.js';

/**
 * FlowLLM's `ChatOp`: `[system_prompt] + messages` → one LLM call → `response.answer`.
 * Extra kwargs (e.g. `temperature=0.2`) are sent as model parameters.
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> ChatOp(temperature=0.2)
 */
export class ChatOp extends BaseOp {
  async execute(): Promise<void> {
    const messages = withSystemPrompt(this.context, conversationFrom(this.context, 'ChatOp'));
    const reply = await this.llm.chat(messages, { signal: this.signal, params: this.params });
    this.context.response.answer = reply.content;
    if (reply.reasoning_content) this.context.response.metadata.reasoning_content = reply.reasoning_content;
    if (reply.tool_calls) this.context.response.metadata.tool_calls = reply.tool_calls;
    if (reply.usage) this.context.response.metadata.usage = reply.usage;
  }
}
