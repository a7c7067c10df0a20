import OpenAI from 'openai';
import type { ToolCallChunk } from '../chunk.js';
import { FlowllmError } from '../errors.js';
import { BaseLlm } from './aggregate.js';
import type { LlmCallOptions, LlmChunk, Message } from './types.js';

export interface OpenAiCompatibleSettings {
  model_name: string;
  params: Record<string, unknown>;
  api_key?: string;
  base_url?: string;
}

type Delta = {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ToolDelta[];
};
type ToolDelta = { index: number; id?: string; function?: { name?: string; arguments?: string } };

/**
 * Chat on any OpenAI-compatible API (OpenAI, Qwen/DashScope, DeepSeek, vLLM, OpenRouter…) with the
 * official SDK: always streams; `reasoning_content`/`reasoning` → think, `content` → answer,
 * tool-call deltas → one `tool` chunk each at the end, usage → `usage`. The abort signal closes the
 * upstream connection.
 *
 * @example
 * const llm = new OpenAiCompatibleLlm({ model_name: 'qwen-max', params: {}, api_key: process.env.FLOW_LLM_API_KEY });
 */
export class OpenAiCompatibleLlm extends BaseLlm {
  readonly backend = 'openai_compatible';
  readonly modelName: string;
  private readonly client: OpenAI;

  constructor(private readonly settings: OpenAiCompatibleSettings) {
    super();
    this.modelName = settings.model_name;
    this.client = new OpenAI({ apiKey: settings.api_key, baseURL: settings.base_url, maxRetries: 0 });
  }

  async *stream(messages: Message[], options: LlmCallOptions = {}): AsyncGenerator<LlmChunk> {
    const request = {
      ...this.settings.params,
      ...options.params,
      model: this.modelName,
      messages,
      stream: true as const,
      stream_options: { include_usage: true },
      ...(options.tools ? { tools: options.tools } : {}),
    } as OpenAI.ChatCompletionCreateParamsStreaming;
    let stream: AsyncIterable<OpenAI.ChatCompletionChunk>;
    try {
      stream = await this.client.chat.completions.create(request, { signal: options.signal });
    } catch (error) {
      throw this.wrap(error, options.signal, true);
    }
    options.onOpen?.();
    const tools = new Map<number, ToolCallChunk>();
    try {
      for await (const chunk of stream) {
        if (chunk.usage) yield { chunk_type: 'usage', chunk: { ...chunk.usage } };
        const delta = chunk.choices?.[0]?.delta as Delta | undefined;
        if (!delta) continue;
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (reasoning) yield { chunk_type: 'think', chunk: reasoning };
        if (delta.content) yield { chunk_type: 'answer', chunk: delta.content };
        for (const call of delta.tool_calls ?? []) accumulate(tools, call);
      }
    } catch (error) {
      throw this.wrap(error, options.signal, false);
    }
    // The SDK ends the iteration quietly on abort; a cut-off answer must not pass for a whole one.
    options.signal?.throwIfAborted();
    for (const call of [...tools.values()].sort((a, b) => a.index - b.index)) {
      checkArguments(call, this.modelName);
      yield { chunk_type: 'tool', chunk: call };
    }
  }

  // Names the provider, model and the provider's message; never the key (the SDK does not put it in messages).
  private wrap(error: unknown, signal: AbortSignal | undefined, beforeOpen: boolean): unknown {
    if (signal?.aborted) return signal.reason;
    const status = error instanceof OpenAI.APIError ? error.status : undefined;
    const detail = error instanceof Error ? error.message : 'unknown error';
    const where = beforeOpen ? 'request failed' : 'stream broke off';
    return new FlowllmError(
      'FLOWLLM_MODEL_ERROR',
      `openai_compatible model ${this.modelName}: ${where}${status ? ` (HTTP ${status})` : ''}: ${detail}`,
      { cause: error, expose: true, status: 502 },
    );
  }
}

function accumulate(tools: Map<number, ToolCallChunk>, delta: ToolDelta): void {
  const call = tools.get(delta.index) ?? {
    index: delta.index,
    id: '',
    type: 'function' as const,
    function: { name: '', arguments: '' },
  };
  if (delta.id) call.id = delta.id;
  if (delta.function?.name) call.function.name += delta.function.name;
  if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
  tools.set(delta.index, call);
}

function checkArguments(call: ToolCallChunk, model: string): void {
  try {
    JSON.parse(call.function.arguments || '{}');
  } catch {
    throw new FlowllmError(
      'FLOWLLM_MODEL_ERROR',
      `openai_compatible model ${model}: tool call ${call.function.name} has arguments that are not valid JSON`,
      { expose: true, status: 502 },
    );
  }
}
