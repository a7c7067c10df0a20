import type { FlowStreamChunk } from '../chunk.js';
import { DATA_DONE, jsonEvent } from './chunk-parts.js';
import { type OpenAIStep, OpenAITurn, openAIErrorBody, openAIUsage } from './openai-turn.js';
import type { StreamEncoder } from './stream-encoder.js';

/**
 * Options of {@link createOpenAIChunkEncoder}.
 *
 * @example
 * const options: OpenAIChunkEncoderOptions = { model: 'chat', includeUsage: true };
 */
export interface OpenAIChunkEncoderOptions {
  /** The `model` every chunk names (the flow's name on the facade). */
  model: string;
  /**
   * The completion's id, the same on every chunk.
   * @default `chatcmpl-` + the flow id of the first chunk
   */
  id?: string;
  /**
   * Unix seconds, the same on every chunk.
   * @default now
   */
  created?: number;
  /**
   * `stream_options.include_usage`: `"usage": null` on every chunk and a last chunk with the usage and no
   * choices.
   * @default false
   */
  includeUsage?: boolean;
  /**
   * The delta field that carries think chunks (not part of OpenAI's API: vLLM and DeepSeek use
   * `reasoning_content`, newer vLLM `reasoning`).
   * @default 'reasoning_content'
   */
  reasoningField?: string;
}

/**
 * OpenAI's `chat.completion.chunk` stream from a flow's chunks: `role` in the first delta, think as
 * `reasoning_content`, answer as `content`, an agent's tool calls as `tool_calls` (each whole in one
 * fragment: id, type, name, arguments), a last chunk with `finish_reason`, the usage chunk when asked,
 * then `data: [DONE]`. A failure is an `{"error": …}` event (openai-node throws an `APIError` on it).
 *
 * @example
 * const encoder = createOpenAIChunkEncoder({ model: 'chat', includeUsage: true });
 * encoder.frame(createChunk('3f2a', 'answer', 'Hi'));
 * // 'data: {"id":"chatcmpl-3f2a","object":"chat.completion.chunk",…"delta":{"role":"assistant","content":""}…'
 */
export function createOpenAIChunkEncoder(options: OpenAIChunkEncoderOptions): StreamEncoder {
  return new OpenAIChunkEncoder(options);
}

class OpenAIChunkEncoder implements StreamEncoder {
  private readonly turn = new OpenAITurn();
  private readonly reasoningKey: string;
  private readonly usageTail: string;
  // `data: {"id":…,"choices":[{"index":0,"delta":` — the same for every chunk of the stream.
  private head = '';

  constructor(private readonly options: OpenAIChunkEncoderOptions) {
    this.reasoningKey = JSON.stringify(options.reasoningField ?? 'reasoning_content');
    this.usageTail = options.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  }

  frame(chunk: FlowStreamChunk): string {
    if (this.head === '') this.head = this.chunkHead(chunk.flow_id);
    let out = '';
    for (const step of this.turn.steps(chunk)) out += this.write(step);
    return out;
  }

  private chunkHead(flowId: string): string {
    const { model, id = `chatcmpl-${flowId}`, created = Math.floor(Date.now() / 1000) } = this.options;
    return `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":[`;
  }

  private write(step: OpenAIStep): string {
    switch (step.kind) {
      case 'role':
        return this.choice({ role: 'assistant', content: '' });
      case 'content':
        return this.textChoice('"content"', step.text);
      case 'reasoning':
        return this.textChoice(this.reasoningKey, step.text);
      case 'tool_call': {
        const { index, call } = step;
        const fn = { name: call.function.name, arguments: call.function.arguments ?? '' };
        return this.choice({ tool_calls: [{ index, id: call.id, type: 'function', function: fn }] });
      }
      case 'error':
        return jsonEvent(openAIErrorBody(step.message, 'server_error'));
      case 'end':
        return this.end();
      case 'none':
        return '';
    }
  }

  /** A delta of one text field (`key` already JSON), without building an object per token. */
  private textChoice(key: string, text: string): string {
    return `${this.head}{"index":0,"delta":{${key}:${JSON.stringify(text)}},"finish_reason":null}]${this.usageTail}`;
  }

  private choice(delta: Record<string, unknown>, finishReason: string | null = null): string {
    const reason = finishReason === null ? 'null' : JSON.stringify(finishReason);
    return `${this.head}{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${reason}}]${this.usageTail}`;
  }

  private end(): string {
    // After an error event the client has already thrown: nothing but [DONE] would be read.
    if (this.turn.failed) return DATA_DONE;
    let out = this.choice({}, this.turn.finishReason);
    if (this.options.includeUsage)
      out += `${this.head}],"usage":${JSON.stringify(openAIUsage(this.turn.usage))}}\n\n`;
    return out + DATA_DONE;
  }
}
