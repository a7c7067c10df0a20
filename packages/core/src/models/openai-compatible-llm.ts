import type OpenAI from 'openai';
import { BaseLlm } from './aggregate.js';
import type { StreamAttempt } from './attempt-call.js';
import { openAiSpec } from './openai-client.js';
import { connectProvider, type ProviderConnection } from './provider-client.js';
import { offeredTools, ToolCallBuffer, type ToolCallDelta, toolChunk, usageChunk } from './tool-calls.js';
import type { LlmCallOptions, LlmChunk, Message } from './types.js';
import { type RetrySettings, streamWithRetries } from './upstream-call.js';
import { ErrorInsteadOfResult } from './upstream-details.js';

/**
 * The `openai_compatible` llm entry: connection, `params` merged into every request, retry settings.
 * `api_key` and `base_url` default to `FLOW_LLM_API_KEY` and `FLOW_LLM_BASE_URL` when the entry comes from
 * config.
 *
 * @example
 * const settings: OpenAiCompatibleSettings = { model_name: 'qwen-max', base_url: 'https://dashscope.aliyuncs.com/compatible-mode/v1', timeout: 60 };
 * const llm = new OpenAiCompatibleLlm({ ...settings, api_key: process.env.FLOW_LLM_API_KEY });
 */
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
  tool_calls?: ToolCallDelta[];
};

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
  private readonly connection: ProviderConnection<OpenAI>;

  constructor(private readonly settings: OpenAiCompatibleSettings) {
    super();
    this.modelName = settings.model_name;
    this.connection = connectProvider(settings, openAiSpec(this.modelName, 'FLOW_LLM_API_KEY'));
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
    const offered = options.allToolCalls ? undefined : offeredTools(options.tools, params.tools);
    return streamWithRetries(this.connection, options, (attempt) => this.attempt(request, offered, attempt));
  }

  private async *attempt(
    request: OpenAI.ChatCompletionCreateParamsStreaming,
    offered: Set<string> | undefined,
    attempt: StreamAttempt,
  ): AsyncGenerator<LlmChunk> {
    const client = await this.connection.client;
    const { data: stream, response } = await client.chat.completions
      .create(request, { signal: attempt.signal })
      .withResponse();
    // Some proxies answer 200 with a JSON error body: its message, not "no events", is what to show.
    if (response.headers.get('content-type')?.includes('application/json')) {
      throw new ErrorInsteadOfResult(await jsonOrText(response), 'a stream');
    }
    attempt.opened();
    const tools = new ToolCallBuffer();
    let finished = false;
    let usage: LlmChunk | undefined;
    for await (const chunk of stream) {
      attempt.touch();
      if (chunk.usage) usage = usageChunk(chunk.usage.prompt_tokens, chunk.usage.completion_tokens);
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) {
        finished = true;
        attempt.finished(choice.finish_reason);
      }
      const delta = choice?.delta as Delta | undefined;
      if (!delta) continue;
      // Some endpoints send an empty `reasoning_content` beside `reasoning`.
      const reasoning = delta.reasoning_content || delta.reasoning;
      if (reasoning) yield { chunk_type: 'think', chunk: reasoning };
      if (delta.content) yield { chunk_type: 'answer', chunk: delta.content };
      for (const call of delta.tool_calls ?? []) tools.add(call);
    }
    attempt.signal.throwIfAborted();
    if (!finished) throw new Error('the stream ended before the model finished (no finish_reason)');
    for (const call of tools.calls()) {
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

/** A response body as JSON, else as text. */
async function jsonOrText(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
