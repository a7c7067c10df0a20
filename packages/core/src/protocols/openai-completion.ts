import type { FlowStreamChunk } from '../chunk.js';
import { OpenAITurn, openAIUsage } from './openai-turn.js';

/**
 * A whole `chat.completion` (the answer to a request without `stream`), built from a run's chunks:
 * answer → `message.content`, think → the reasoning field, tool calls → `message.tool_calls`.
 *
 * @example
 * const completion = new ChatCompletionBuilder({ model: 'chat', flowId, reasoningField: 'reasoning_content' });
 * for await (const chunk of stream) completion.add(chunk);
 * if (completion.error === undefined) return completion.result();
 */
export class ChatCompletionBuilder {
  private readonly turn = new OpenAITurn();
  private content = '';
  private reasoning = '';
  private readonly toolCalls: Record<string, unknown>[] = [];
  /** The error chunk's text, if the run failed. */
  error: string | undefined;

  /** Whether the run ended (its `done` chunk came): a stream cut short by shutdown has none. */
  get ended(): boolean {
    return this.turn.ended;
  }

  constructor(private readonly options: { model: string; flowId: string; reasoningField: string }) {}

  add(chunk: FlowStreamChunk): void {
    for (const step of this.turn.steps(chunk)) {
      if (step.kind === 'content') this.content += step.text;
      else if (step.kind === 'reasoning') this.reasoning += step.text;
      else if (step.kind === 'error') this.error ??= step.message;
      else if (step.kind === 'tool_call') {
        const { call } = step;
        this.toolCalls.push({
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: call.function.arguments ?? '' },
        });
      }
    }
  }

  result(): Record<string, unknown> {
    const message: Record<string, unknown> = { role: 'assistant', content: this.content, refusal: null };
    if (this.reasoning !== '') message[this.options.reasoningField] = this.reasoning;
    if (this.toolCalls.length > 0) message.tool_calls = this.toolCalls;
    return {
      id: `chatcmpl-${this.options.flowId}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.options.model,
      choices: [{ index: 0, message, finish_reason: this.turn.finishReason, logprobs: null }],
      usage: openAIUsage(this.turn.usage),
    };
  }
}
