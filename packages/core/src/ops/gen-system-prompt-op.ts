import { BaseOp } from '../op/base-op.js';
import { conversationFrom, fencedBlock } from './conversation.js';

/**
 * FlowLLM's `GenSystemPromptOp`: asks the LLM once for a system prompt suited to the user's question
 * and mood, and stores the ```` ```prompt ```` block (or the whole answer) as `system_prompt`.
 * Also sets `messages` from `query` (or keeps the request's `messages`).
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> StreamChatOp()
 */
export class GenSystemPromptOp extends BaseOp {
  static override prompts = {
    gen_system_prompt: [
      'You write the system prompt for an AI assistant that is about to answer a user.',
      'The conversation so far:',
      '{conversation}',
      '',
      'First think about what the user wants and how they feel, in a fenced block:',
      '```think',
      '...',
      '```',
      "Then write a system prompt suited to the user's question and mood, in a fenced block:",
      '```prompt',
      '...',
      '```',
    ].join('\n'),
    gen_system_prompt_zh: [
      '你要为即将回答用户的 AI 助手撰写系统提示词。',
      '目前的对话:',
      '{conversation}',
      '',
      '先在代码块中思考用户想要什么、情绪如何:',
      '```think',
      '...',
      '```',
      '再在代码块中写出适合用户问题和情绪的系统提示词:',
      '```prompt',
      '...',
      '```',
    ].join('\n'),
  };

  async execute(): Promise<void> {
    const messages = conversationFrom(this.context, 'GenSystemPromptOp');
    this.context.set('messages', messages);
    const conversation = messages.map((message) => `${message.role}: ${message.content}`).join('\n');
    const reply = await this.llm.chat(
      [{ role: 'user', content: this.prompt('gen_system_prompt', { conversation }) }],
      {
        signal: this.signal,
        params: this.params,
      },
    );
    this.context.set('system_prompt', fencedBlock(reply.content, 'prompt') ?? reply.content.trim());
  }
}
