import { toolCallChunk } from '../chunk.js';
import { FlowllmError } from '../errors.js';
import { abortableSleep } from './abortable-sleep.js';
import { BaseLlm } from './aggregate.js';
import { offlineAgentTurn } from './mock-agent-turn.js';
import { mockTokens } from './mock-tokens.js';
import { usageChunk } from './tool-calls.js';
import type { LlmCallOptions, LlmChunk, Message, ToolSpec } from './types.js';

/**
 * One scripted reply; the first whose `match` (a regular expression) finds the last user message wins.
 *
 * @example
 * const reply: MockReply = { match: 'weather', tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
 */
export interface MockReply {
  match?: string;
  /**
   * A regular expression on the result of the tool call just answered: the entry applies only when
   * the conversation ends with a `tool` message that it finds. Lets a script play an agent's steps
   * (call a tool, then answer from its result).
   */
  match_tool?: string;
  answer?: string;
  think?: string;
  tool_calls?: { name: string; arguments: unknown }[];
  /** Fail the stream with this message after `error_after` answer tokens. */
  error?: string;
  error_after?: number;
  /** Fail before "connecting", like a model that cannot be reached (HTTP 502 before any chunk). */
  connect_error?: string;
}

/**
 * Config keys of the `mock` backend (beside `backend`, `model_name`, `params`).
 *
 * @example
 * const llm = new MockLlm({ answer: 'Hello {input}', token_delay_ms: 20, usage: false });
 */
export interface MockLlmSettings extends MockReply {
  model_name: string;
  token_delay_ms: number;
  first_token_delay_ms: number;
  usage: boolean;
  script: MockReply[];
}

const DEFAULT_THINK = 'The user asked: "{input}". Answering offline, without a real model.';
const DEFAULT_ANSWER =
  'This is the offline mock model of flowllm. You asked: "{input}". ' +
  'Configure an openai_compatible or anthropic llm to get real answers.';

/**
 * Counters a test or a dashboard can read to see what the model was asked to do.
 *
 * @example
 * const llm = app.resources.llm('default') as MockLlm;
 * expect(llm.stats.aborted).toBe(1); // the client left, the model stopped
 */
export interface MockLlmStats {
  started: number;
  completed: number;
  aborted: number;
  failed: number;
  active: number;
  /** `performance.now()` when the last abort signal reached a running stream. */
  lastAbortAt: number | undefined;
}

/**
 * The built-in offline chat model: deterministic, scripted think/answer/tool chunks with a
 * configurable delay per token, honouring the abort signal between tokens.
 *
 * @example
 * const llm = new MockLlm({ answer: 'Hi {input}', token_delay_ms: 10 });
 * for await (const chunk of llm.stream([{ role: 'user', content: 'Ada' }])) console.log(chunk);
 */
export class MockLlm extends BaseLlm {
  readonly backend = 'mock';
  readonly modelName: string;
  readonly stats: MockLlmStats = {
    started: 0,
    completed: 0,
    aborted: 0,
    failed: 0,
    active: 0,
    lastAbortAt: undefined,
  };
  private readonly settings: MockLlmSettings;
  private readonly patterns: (RegExp | undefined)[];
  private readonly toolPatterns: (RegExp | undefined)[];

  constructor(settings: Partial<MockLlmSettings> = {}) {
    super();
    this.settings = {
      token_delay_ms: 0,
      first_token_delay_ms: 0,
      usage: true,
      script: [],
      ...settings,
      model_name: settings.model_name || 'mock-chat',
    };
    this.modelName = this.settings.model_name;
    // Compiled once, so a bad pattern fails at start-up rather than on every request.
    this.patterns = this.settings.script.map((entry, index) =>
      compile(entry.match, `script[${index}].match`),
    );
    this.toolPatterns = this.settings.script.map((entry, index) =>
      compile(entry.match_tool, `script[${index}].match_tool`),
    );
  }

  async *stream(messages: Message[], options: LlmCallOptions = {}): AsyncGenerator<LlmChunk> {
    const { signal } = options;
    const input = lastUserMessage(messages);
    const reply = this.replyFor(input, messages, options.tools);
    const onAbort = () => {
      this.stats.lastAbortAt = performance.now();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.stats.started++;
    this.stats.active++;
    let outcome: 'completed' | 'aborted' | 'failed' = 'aborted';
    try {
      if (reply.connect_error !== undefined) {
        throw new FlowllmError(
          'FLOWLLM_MODEL_UNREACHABLE',
          `mock model ${this.modelName}: ${reply.connect_error}`,
          {
            expose: true,
            status: 502,
          },
        );
      }
      options.onOpen?.();
      await abortableSleep(this.settings.first_token_delay_ms, signal);
      let emitted = 0;
      let answered = 0;
      for (const [type, text] of [
        ['think', reply.think ?? ''],
        ['answer', reply.answer ?? ''],
      ] as const) {
        for (const token of mockTokens(fill(text, input))) {
          if (type === 'answer' && reply.error !== undefined && answered >= (reply.error_after ?? 0)) break;
          if (emitted > 0) await abortableSleep(this.settings.token_delay_ms, signal);
          signal?.throwIfAborted();
          emitted++;
          if (type === 'answer') answered++;
          yield { chunk_type: type, chunk: token };
        }
      }
      if (reply.error !== undefined) {
        throw new FlowllmError('FLOWLLM_MODEL_ERROR', `mock model ${this.modelName}: ${reply.error}`, {
          expose: true,
          status: 502,
        });
      }
      yield* toolChunks(reply);
      if (this.settings.usage) yield usageChunk(promptTokens(messages), emitted);
      outcome = 'completed';
    } catch (error) {
      outcome = signal?.aborted ? 'aborted' : 'failed';
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.stats.active--;
      this.stats[outcome]++;
    }
  }

  private replyFor(input: string, messages: Message[], tools: ToolSpec[] | undefined): MockReply {
    const last = messages.at(-1);
    const toolResult = last?.role === 'tool' ? last.content : undefined;
    const scripted = this.settings.script.find((_, index) => {
      const onTool = this.toolPatterns[index];
      if (onTool && (toolResult === undefined || !onTool.test(toolResult))) return false;
      return this.patterns[index]?.test(input) ?? true;
    });
    if (scripted) return scripted;
    const { answer, think, tool_calls, error, error_after, connect_error } = this.settings;
    const isDefault = answer === undefined && think === undefined;
    const reply = {
      answer: answer ?? DEFAULT_ANSWER,
      think: isDefault ? DEFAULT_THINK : think,
      tool_calls,
      error,
      error_after,
      connect_error,
    };
    return isDefault && tool_calls === undefined
      ? { ...reply, ...offlineAgentTurn(input, messages, tools) }
      : reply;
  }
}

function compile(pattern: string | undefined, where: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    throw new FlowllmError(
      'FLOWLLM_MOCK_SCRIPT',
      `${where} is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

function lastUserMessage(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') return messages[i]?.content ?? '';
  }
  return '';
}

function fill(template: string, input: string): string {
  return template.replaceAll('{input}', input);
}

function* toolChunks(reply: MockReply): Generator<LlmChunk> {
  for (const [index, call] of (reply.tool_calls ?? []).entries()) {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
    yield {
      chunk_type: 'tool',
      chunk: toolCallChunk({ index, id: `call_mock_${index}`, name: call.name, arguments: args }),
    };
  }
}

/** What the mock counts as the prompt: its tokens in every message. */
function promptTokens(messages: Message[]): number {
  return messages.reduce((sum, message) => sum + mockTokens(message.content).length, 0);
}
