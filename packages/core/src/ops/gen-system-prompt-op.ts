import type { Message } from '../models/types.js';
import { BaseOp } from '../op/base-op.js';
import { conversationFrom, fencedBlock } from './conversation.js';
import { modelCallKey } from './model-call-key.js';

/**
 * FlowLLM's `GenSystemPromptOp`: asks the LLM once for a system prompt suited to the user's question
 * and mood, and stores the ```` ```prompt ```` block (or the whole answer) as `system_prompt`.
 * Also sets `messages` from `query` (or keeps the request's `messages`).
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> StreamChatOp()
 */
export class GenSystemPromptOp extends BaseOp {
  // FlowLLM's template name and placeholder (`formated_messages`, sic), so a FlowLLM prompt file given
  // as `prompt_path` works here; the wording is ours.
  static override prompts = {
    gen_system_prompt_prompt: [
      '# Context',
      'The user has asked or said this so far:',
      '{formated_messages}',
      '',
      '# Task',
      "Write a system prompt for the assistant that will answer, suited to the user's message, so it understands and answers them well.",
      '',
      '# Requirements',
      '1. **Mood**: read how the user feels (angry, anxious, happy, puzzled…); when the mood is negative, the prompt asks for empathy, patience and understanding.',
      '2. **Situation**: match the tone and depth to the kind of message (a technical question, a personal worry, small talk…).',
      '3. **Role**: say which role the assistant plays (expert adviser, friend, helper…).',
      '4. **Style**: say how to answer (brief, thorough, gentle, formal…).',
      '5. **Special needs**: notice what else the user may need (encouragement, expert advice, comfort…).',
      '',
      '# Examples',
      '- An angry or frustrated user: stress empathy, patience, understanding and reassurance.',
      '- A technical question: stress expertise, accuracy and clarity.',
      '- A personal worry: stress listening, support and advice.',
      '- Small talk: keep it natural, friendly and relaxed.',
      '',
      '# Output format',
      'Answer in exactly this form:',
      '',
      '```think',
      "Your reading of the user's mood, the situation and the role needed, and what the system prompt should therefore say:",
      "- the user's mood",
      '- the kind of message and situation',
      '- the traits and skills to stress',
      '- the answering style',
      '```',
      '',
      '```prompt',
      'The system prompt: clear, specific and aimed at this user, so the assistant answers them the right way.',
      '```',
    ].join('\n'),
    gen_system_prompt_prompt_zh: [
      '# 上下文',
      '用户目前的提问或对话如下：',
      '{formated_messages}',
      '',
      '# 任务',
      '根据用户的消息，为即将回答的助手写一段合适的系统提示词，帮助它更好地理解并回答用户。',
      '',
      '# 要求',
      '1. **情绪**：判断用户的情绪（生气、焦虑、高兴、困惑……）；情绪负面时，提示词要求共情、耐心和理解。',
      '2. **场景**：根据消息类型（技术问题、个人烦恼、闲聊……）调整语气和专业程度。',
      '3. **角色**：说明助手扮演的角色（专业顾问、朋友、助手……）。',
      '4. **风格**：说明回答方式（简洁、详细、温和、正式……）。',
      '5. **特殊需求**：留意用户可能还需要什么（鼓励、专业建议、安慰……）。',
      '',
      '# 示例',
      '- 用户生气或沮丧：强调共情、耐心、理解和安抚。',
      '- 技术问题：强调专业、准确和清晰。',
      '- 个人烦恼：强调倾听、支持和建议。',
      '- 闲聊：自然、友好、轻松。',
      '',
      '# 输出格式',
      '严格按以下格式回答：',
      '',
      '```think',
      '分析用户的情绪、场景和所需角色，以及系统提示词因此应该写什么：',
      '- 用户情绪',
      '- 消息类型与场景',
      '- 需要强调的特质与能力',
      '- 回答风格',
      '```',
      '',
      '```prompt',
      '系统提示词：清晰、具体、针对这位用户，让助手以合适的方式回答。',
      '```',
    ].join('\n'),
  };

  async execute(): Promise<void> {
    const messages = conversationFrom(this.context, 'GenSystemPromptOp');
    this.context.set('messages', messages);
    const formated_messages = messages.map((message) => `${message.role}: ${message.content}`).join('\n');
    const request: Message[] = [
      { role: 'user', content: this.prompt('gen_system_prompt_prompt', { formated_messages }) },
    ];
    const content = await this.cache(modelCallKey(this, 'content', request), async () => {
      const reply = await this.llm.chat(request, { signal: this.signal, params: this.params });
      return reply.content;
    });
    this.context.set('system_prompt', fencedBlock(content, 'prompt') ?? content.trim());
  }
}
