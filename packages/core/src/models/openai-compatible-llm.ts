import OpenAI from 'openai';
import type { ToolCallChunk } from '../chunk.js';
import { FlowllmError } from '../errors.js';
import { BaseLlm } from './aggregate.js';
import { offeredTools, toolChunk, usageChunk } from './tool-calls.js';
import type { LlmCallOptions, LlmChunk, Message } from './types.js';
import { type Attempt, type RetrySettings, retrySettings, streamWithRetries } from './upstream-call.js';
import type { UpstreamLabel } from './upstream-errors.js';

/** The `openai_compatible` llm entry: connection, `params` merged into every request, retry settings. */
export interface OpenAiCompatibleSettings extends Partial<RetrySettings> {
  model_name: string;
  params?: Record<string, unknown>;
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
 * official SDK: always streams with usage requested; `reasoning_content`/`reasoning` → think,
 * `content` → answer, tool-call deltas → one `tool` chunk each at the end, usage → `usage`.
 * The abort signal closes the upstream connection; failures before the first chunk are retried.
 *
 * @example
 * const llm = new OpenAiCompatibleLlm({ model_name: 'qwen-max', api_key: process.env.FLOW_LLM_API_KEY });
 */
export class OpenAiCompatibleLlm extends BaseLlm {
  readonly backend = 'openai_compatible';
  readonly modelName: string;
  private readonly client: OpenAI;
  private readonly retry: RetrySettings;
  private readonly label: UpstreamLabel;

  constructor(private readonly settings: OpenAiCompatibleSettings) {
    super();
    this.modelName = settings.model_name;
    if (!settings.api_key) {
      throw new FlowllmError(
        'FLOWLLM_MODEL_CONFIG',
        `openai_compatible model ${this.modelName}: no API key: set FLOW_LLM_API_KEY or the entry's api_key`,
      );
    }
    this.retry = retrySettings(settings);
    // Retries are ours (only before the first token); the SDK's logger would print stream data.
    this.client = new OpenAI({
      apiKey: settings.api_key,
      baseURL: settings.base_url,
      maxRetries: 0,
      logLevel: 'off',
    });
    this.label = {
      provider: 'openai_compatible',
      model: this.modelName,
      apiKey: settings.api_key,
      keyHint: "FLOW_LLM_API_KEY or the entry's api_key",
      timeout: this.retry.timeout,
    };
  }

  stream(messages: Message[], options: LlmCallOptions = {}): AsyncGenerator<LlmChunk> {
    const params = { ...this.settings.params, ...options.params };
    const request = {
      ...params,
      model: this.modelName,
      messages: messages.map(toOpenAiMessage),
      stream: true as const,
      stream_options: { include_usage: true },
      ...(options.tools ? { tools: options.tools } : {}),
    } as OpenAI.ChatCompletionCreateParamsStreaming;
    const offered = offeredTools(options.tools, params.tools);
    return streamWithRetries(this.label, this.retry, options, (attempt) =>
      this.attempt(request, offered, attempt),
    );
  }

  private async *attempt(
    request: OpenAI.ChatCompletionCreateParamsStreaming,
    offered: Set<string> | undefined,
    attempt: Attempt,
  ): AsyncGenerator<LlmChunk> {
    const stream = await this.client.chat.completions.create(request, { signal: attempt.signal });
    attempt.opened();
    const tools = new Map<number, ToolCallChunk>();
    let finished = false;
    let usage: LlmChunk | undefined;
    for await (const chunk of stream) {
      attempt.touch();
      if (chunk.usage) usage = usageChunk(chunk.usage.prompt_tokens, chunk.usage.completion_tokens);
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) finished = true;
      const delta = choice?.delta as Delta | undefined;
      if (!delta) continue;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) yield { chunk_type: 'think', chunk: reasoning };
      if (delta.content) yield { chunk_type: 'answer', chunk: delta.content };
      for (const call of delta.tool_calls ?? []) accumulate(tools, call);
    }
    attempt.signal.throwIfAborted();
    if (!finished) throw new Error('the stream ended before the model finished (no finish_reason)');
    for (const call of [...tools.values()].sort((a, b) => a.index - b.index)) {
      const chunk = toolChunk(call, offered, `openai_compatible model ${this.modelName}`);
      if (chunk) yield chunk;
    }
    // Usage last, after the tool calls, as the other backends send it.
    if (usage) yield usage;
  }
}

/** FlowLLM messages as the API takes them (reasoning is not sent back: DeepSeek refuses it). */
function toOpenAiMessage(message: Message): OpenAI.ChatCompletionMessageParam {
  const { role, content, tool_calls, tool_call_id, name } = message;
  return {
    role,
    content,
    ...(tool_calls?.length ? { tool_calls } : {}),
    ...(tool_call_id ? { tool_call_id } : {}),
    ...(name ? { name } : {}),
  } as OpenAI.ChatCompletionMessageParam;
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
