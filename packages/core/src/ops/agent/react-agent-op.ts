import type { Message } from '../../models/types.js';
import type { BaseOp } from '../../op/base-op.js';
import { BaseToolOp, type ToolDescriptionInput } from '../../op/base-tool-op.js';
import { OpConfigError } from '../../op/op-errors.js';
import { isToolProvider } from '../../op/tool-provider.js';
import { toOpenAiTool } from '../../op/tool-schema.js';
import { conversationFrom } from '../conversation.js';
import { ThinkToolOp } from '../think-tool-op.js';
import { modelTurn } from './model-turn.js';
import { runToolCalls } from './run-tool-calls.js';

/**
 * FlowLLM's `ReactAgentOp`: a ReAct loop over the tool ops attached with `<<`. Each step asks the
 * model with the tools; an answer without tool calls ends the loop, otherwise the called tools run
 * (concurrently, each on a fresh copy) and their results go back as `tool` messages — for at most
 * `max_steps` steps. The final answer is the last message's content; `response.metadata.messages`
 * holds the conversation.
 *
 * Unlike FlowLLM's, it streams in stream flows (think/answer chunks of every model call, one `tool`
 * chunk per call and one per result), stops the model and the tools when the client leaves, and
 * answers a call to an unknown tool with an error message instead of leaving it unanswered.
 *
 * Options: `max_steps` (5), `tool_call_interval` (1.0 s between starting calls of one step; the
 * wait never blocks the server), `add_think_tool` (false: true offers `think_tool`, withdrawn for
 * the step after one that used it), `max_tool_result_chars` (100,000: a longer result is cut, with a
 * note, before it reaches the model and the client).
 *
 * @example
 * // flow_content: ReactAgentOp(max_steps=3) << [MockSearchOp(), ThinkToolOp()]
 */
export class ReactAgentOp extends BaseToolOp {
  static override options = {
    max_steps: 5,
    tool_call_interval: 1.0,
    add_think_tool: false,
    max_tool_result_chars: 100_000,
  };

  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    const at = (key: string, min: number) => {
      if (this.option<number>(key) < min) {
        throw new OpConfigError(`${this.constructor.name}: option '${key}' must be at least ${min}`);
      }
    };
    at('max_steps', 1);
    at('tool_call_interval', 0);
    at('max_tool_result_chars', 1);
  }

  /** Only tools go under an agent: anything else would be silently unused. */
  override attach(key: string, op: BaseOp): void {
    if (!(op instanceof BaseToolOp) && !isToolProvider(op)) {
      throw new OpConfigError(
        `${this.constructor.name} takes tool ops with <<; ${op.constructor.name} is not one (a group built with >> or | is not either)`,
      );
    }
    super.attach(key, op);
  }
  static override prompts = {
    system_prompt: 'You are a helpful assistant. It is now {time}.',
    system_prompt_zh: '你是一个乐于助人的助手。现在的时间是 {time}。',
  };

  describeTool(): ToolDescriptionInput {
    return {
      description: 'An agent that answers a query, calling tools as it needs them.',
      input_schema: {
        query: { type: 'string', description: 'the question', required: false },
        messages: { type: 'array', description: 'the conversation so far', required: false },
      },
    };
  }

  /** The tools this agent offers, by tool name: the attached tool ops and the tools of tool providers. */
  protected async toolOps(): Promise<Map<string, BaseToolOp>> {
    const tools = new Map<string, BaseToolOp>();
    for (const op of Object.values(this.ops)) {
      op.bind(this.context);
      // attach() let in only tool ops and tool providers.
      const provided = isToolProvider(op) ? await op.provideTools(this.signal) : [op as BaseToolOp];
      for (const tool of provided) {
        const { name } = tool.bind(this.context).tool;
        if (tools.has(name)) {
          throw new OpConfigError(`${this.constructor.name}: two of its tools are named '${name}'`);
        }
        tools.set(name, tool);
      }
    }
    return tools;
  }

  /** The conversation the loop starts from: a system prompt and `query`, or the request's `messages`. */
  protected startMessages(): Message[] {
    const messages = conversationFrom(this.context, this.constructor.name);
    const query = this.input.query;
    if (typeof query !== 'string' || query.trim() === '') return [...messages];
    const time = new Date().toISOString().replace('T', ' ').slice(0, 19);
    return [{ role: 'system', content: this.prompt('system_prompt', { time }) }, ...messages];
  }

  /** The fields a tool call's context starts with: its arguments (a subclass may add shared state). */
  protected toolCallInput(args: Record<string, unknown>): Record<string, unknown> {
    return args;
  }

  async execute(): Promise<void> {
    const tools = await this.toolOps();
    const think = new ThinkToolOp({ language: this.language }).bind(this.context);
    const addThink = this.option<boolean>('add_think_tool');
    if (addThink) tools.set(think.tool.name, think);
    const messages = this.startMessages();
    for (let step = 0; step < this.option<number>('max_steps'); step++) {
      const reply = await modelTurn({
        llm: this.llm,
        context: this.context,
        messages,
        tools: [...tools.values()].map((op) => toOpenAiTool(op.tool)),
        signal: this.signal,
        params: this.params,
      });
      messages.push(reply);
      const calls = reply.tool_calls ?? [];
      if (calls.length === 0) break;
      const results = await runToolCalls({
        calls,
        tools,
        context: this.context,
        signal: this.signal,
        intervalSeconds: this.option<number>('tool_call_interval'),
        maxResultChars: this.option<number>('max_tool_result_chars'),
        inputFor: (args) => this.toolCallInput(args),
        telemetrySpan: this.telemetrySpan,
      });
      messages.push(...results);
      if (addThink) {
        if (calls.some((call) => call.function.name === think.tool.name)) tools.delete(think.tool.name);
        else tools.set(think.tool.name, think);
      }
    }
    this.setOutput(messages.at(-1)?.content ?? '');
    this.context.response.metadata.messages = messages;
  }
}
