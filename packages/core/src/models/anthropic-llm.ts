import type Anthropic from '@anthropic-ai/sdk';
import { BaseLlm } from './aggregate.js';
import { toAnthropicMessages, toAnthropicTools } from './anthropic-messages.js';
import type { StreamAttempt } from './attempt-call.js';
import { connectProvider, LazySdk, type ProviderConnection, type ProviderSpec } from './provider-client.js';
import { offeredTools, toolChunk, usageChunk } from './tool-calls.js';
import type { LlmCallOptions, LlmChunk, Message } from './types.js';
import { type RetrySettings, streamWithRetries } from './upstream-call.js';

/**
 * `max_tokens` when `params` sets none (the Messages API requires one).
 *
 * @example
 * // llm: { default: { backend: anthropic, model_name: claude-sonnet-4-5, params: { max_tokens: 8192 } } }
 * ANTHROPIC_DEFAULT_MAX_TOKENS; // 4096
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * The `anthropic` llm entry: connection, `params` (Messages API names) and retry settings. `api_key`
 * and `base_url` default to `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL` when the entry comes from config.
 *
 * @example
 * const settings: AnthropicSettings = { model_name: 'claude-sonnet-4-5', params: { max_tokens: 2048 }, max_retries: 3 };
 * const llm = new AnthropicLlm({ ...settings, api_key: process.env.ANTHROPIC_API_KEY });
 */
export interface AnthropicSettings extends Partial<RetrySettings> {
  model_name: string;
  params?: Record<string, unknown>;
  api_key?: string;
  base_url?: string;
}

// An optional peer dependency: only apps that configure `anthropic` install it.
const anthropicSdk = new LazySdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));

/** Key and base URL only; the SDK's retries (ours happen before the first token) and logger off. */
const anthropicSpec = (model: string): ProviderSpec<typeof import('@anthropic-ai/sdk'), Anthropic> => ({
  provider: 'anthropic',
  model,
  keyVariable: 'ANTHROPIC_API_KEY',
  sdk: anthropicSdk,
  client: (sdk, apiKey, baseUrl) =>
    new sdk.default({
      apiKey,
      baseURL: baseUrl || 'https://api.anthropic.com',
      maxRetries: 0,
      logLevel: 'off',
    }),
});

type Request = Anthropic.MessageCreateParamsStreaming;
type ToolBlock = { id: string; name: string; json: string; input: unknown };

/**
 * Claude on the Messages API with the official `@anthropic-ai/sdk`: system messages go to the
 * `system` parameter, `max_tokens` defaults to 4096; `text_delta` → answer, `thinking_delta` → think,
 * each `tool_use` block (its `input_json_delta`s joined) → one `tool` chunk in FlowLLM's shape,
 * usage (input/output tokens) → `usage` at the end. Same abort, retry and error rules as
 * `openai_compatible`.
 *
 * @example
 * const llm = new AnthropicLlm({ model_name: 'claude-sonnet-4-5', api_key: process.env.ANTHROPIC_API_KEY });
 */
export class AnthropicLlm extends BaseLlm {
  readonly backend = 'anthropic';
  readonly modelName: string;
  private readonly connection: ProviderConnection<Anthropic>;

  constructor(private readonly settings: AnthropicSettings) {
    super();
    this.modelName = settings.model_name;
    this.connection = connectProvider(settings, anthropicSpec(this.modelName));
  }

  stream(messages: Message[], options: LlmCallOptions = {}): AsyncGenerator<LlmChunk> {
    const { tools: paramTools, ...params } = { ...this.settings.params, ...options.params };
    const { system, messages: turns } = toAnthropicMessages(messages);
    const tools = toAnthropicTools(options.tools ?? paramTools);
    const request = {
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      ...params,
      model: this.modelName,
      messages: turns,
      ...(system ? { system } : {}),
      ...(tools ? { tools } : {}),
      stream: true,
    } as Request;
    const offered = options.allToolCalls ? undefined : offeredTools(options.tools, paramTools);
    return streamWithRetries(this.connection, options, (attempt) => this.attempt(request, offered, attempt));
  }

  private async *attempt(
    request: Request,
    offered: Set<string> | undefined,
    attempt: StreamAttempt,
  ): AsyncGenerator<LlmChunk> {
    const client = await this.connection.client;
    const stream = await client.messages.create(request, { signal: attempt.signal });
    attempt.opened();
    const blocks = new Map<number, ToolBlock>();
    const usage = { input: 0, output: 0 };
    let tools = 0;
    let stopped = false;
    const thinking: { pending: string | undefined; signature: string } = {
      pending: undefined,
      signature: '',
    };
    for await (const event of stream) {
      attempt.touch();
      switch (event.type) {
        case 'message_start': {
          const start = event.message.usage;
          usage.input =
            start.input_tokens +
            (start.cache_creation_input_tokens ?? 0) +
            (start.cache_read_input_tokens ?? 0);
          usage.output = start.output_tokens;
          break;
        }
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            const { id, name, input } = event.content_block;
            blocks.set(event.index, { id, name, input, json: '' });
          }
          break;
        case 'content_block_delta': {
          const delta = event.delta;
          if (delta.type === 'text_delta' && delta.text) yield { chunk_type: 'answer', chunk: delta.text };
          else if (delta.type === 'thinking_delta' && delta.thinking) {
            // The last piece waits for the block's signature, so it can carry it (see below).
            if (thinking.pending !== undefined) yield { chunk_type: 'think', chunk: thinking.pending };
            thinking.pending = delta.thinking;
          } else if (delta.type === 'signature_delta') thinking.signature += delta.signature;
          else if (delta.type === 'input_json_delta') {
            const block = blocks.get(event.index);
            if (block) block.json += delta.partial_json;
          }
          break;
        }
        case 'content_block_stop': {
          // A thinking block ends with its signature: a tool loop must send both back to the model.
          if (thinking.pending !== undefined || thinking.signature) {
            yield { chunk_type: 'think', chunk: thinking.pending ?? '', signature: thinking.signature };
            thinking.pending = undefined;
            thinking.signature = '';
          }
          const block = blocks.get(event.index);
          if (!block) break;
          blocks.delete(event.index);
          const args = block.json || JSON.stringify(block.input ?? {});
          const call = {
            index: tools++,
            id: block.id,
            type: 'function' as const,
            function: { name: block.name, arguments: args },
          };
          const chunk = toolChunk(call, offered, `anthropic model ${this.modelName}`);
          if (chunk) yield chunk;
          break;
        }
        case 'message_delta':
          if (typeof event.usage.output_tokens === 'number') usage.output = event.usage.output_tokens;
          if (event.delta.stop_reason) attempt.finished(event.delta.stop_reason);
          break;
        case 'message_stop':
          stopped = true;
          break;
      }
    }
    attempt.signal.throwIfAborted();
    if (!stopped) throw new Error('the stream ended before the message was complete (no message_stop)');
    yield usageChunk(usage.input, usage.output);
  }
}
