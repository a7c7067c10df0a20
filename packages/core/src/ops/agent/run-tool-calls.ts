import type { ToolCallChunk } from '../../chunk.js';
import type { FlowContext } from '../../engine/context.js';
import { abortableSleep } from '../../models/abortable-sleep.js';
import type { Message } from '../../models/types.js';
import type { BaseToolOp } from '../../op/base-tool-op.js';
import { OpFailedError } from '../../op/op-errors.js';
import { checkToolArguments } from '../../op/tool-arguments.js';
import { endToolSpan, startToolSpan } from '../../telemetry/steps.js';
import type { TelemetrySpan } from '../../telemetry/telemetry-span.js';

// `error.type` of a tool call the model gets an error for without anything thrown.
const TOOL_ERROR = {
  unknown: 'tool_not_found',
  badArguments: 'invalid_tool_arguments',
  reported: 'tool_reported_error',
} as const;

/** What an agent's acting step needs. */
export interface ToolCallBatch {
  calls: ToolCallChunk[];
  tools: ReadonlyMap<string, BaseToolOp>;
  context: FlowContext;
  signal: AbortSignal;
  /** Seconds between starting one call and the next (FlowLLM's `tool_call_interval`). */
  intervalSeconds: number;
  /** A longer result is cut to this many characters, with a note saying so. */
  maxResultChars: number;
  /** The fields of a call's own context, from its (checked) arguments; default: the arguments. */
  inputFor?: (args: Record<string, unknown>) => Record<string, unknown>;
  /** The agent op's telemetry span: each call gets an `execute_tool {tool}` span below it. */
  telemetrySpan?: TelemetrySpan;
}

/**
 * A tool's result as a stream chunk's content: `type` tells it from a tool call chunk.
 *
 * @example
 * const chunk: ToolResultChunk = { type: 'tool_result', tool_call_id: 'call_0', name: 'think_tool', content: 'Reflection recorded.' };
 */
export interface ToolResultChunk {
  type: 'tool_result';
  tool_call_id: string;
  name: string;
  content: string;
}

/**
 * Runs one step's tool calls concurrently (started `intervalSeconds` apart), each on a fresh copy
 * of its op in a context of its own built from the call's arguments, and answers every call with a
 * `tool` message in call order — also a call to an unknown tool, with bad arguments or whose tool
 * failed: the model reads the error and can correct itself (an unanswered call would make the
 * provider refuse the next request). A stream flow gets each result as a `tool` chunk when it is ready.
 *
 * @example
 * messages.push(...(await runToolCalls({ calls, tools, context, signal, intervalSeconds: 0 })));
 */
export async function runToolCalls(batch: ToolCallBatch): Promise<Message[]> {
  const { calls, signal, intervalSeconds } = batch;
  const running: Promise<string>[] = [];
  try {
    for (const [index, call] of calls.entries()) {
      if (index > 0) await abortableSleep(intervalSeconds * 1000, signal);
      running.push(answerCall(call, batch));
    }
  } finally {
    // An abort during a pause still waits for the calls already started: nothing runs on unwatched.
    await Promise.allSettled(running);
  }
  const contents = await Promise.all(running);
  return calls.map((call, index) => ({
    role: 'tool',
    content: contents[index] ?? '',
    tool_call_id: call.id,
  }));
}

async function answerCall(call: ToolCallChunk, batch: ToolCallBatch): Promise<string> {
  const { context, maxResultChars } = batch;
  // Looked up first: a name the model made up must not name the span.
  const tool = batch.tools.get(call.function.name);
  const step = batch.telemetrySpan && startToolSpan(batch.telemetrySpan, call, tool !== undefined);
  let content: string;
  try {
    content = capped(await resultOf(call, tool, batch, step), maxResultChars);
  } catch (error) {
    step?.end(error);
    throw error;
  }
  if (step) endToolSpan(step, content);
  const result: ToolResultChunk = {
    type: 'tool_result',
    tool_call_id: call.id,
    name: call.function.name,
    content,
  };
  await context.addStreamChunk({ chunk_type: 'tool', chunk: { ...result } });
  return content;
}

async function resultOf(
  call: ToolCallChunk,
  tool: BaseToolOp | undefined,
  batch: ToolCallBatch,
  step: TelemetrySpan | undefined,
): Promise<string> {
  const { tools, context, signal } = batch;
  const name = call.function.name;
  if (!tool) {
    step?.fail(TOOL_ERROR.unknown);
    return `Error: there is no tool named '${name}'. Available tools: ${[...tools.keys()].join(', ') || 'none'}.`;
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments.trim() || '{}');
  } catch {
    step?.fail(TOOL_ERROR.badArguments);
    return `Error: the arguments of ${name} are not valid JSON.`;
  }
  const checked = checkToolArguments(tool.tool, args);
  if (!checked.ok) {
    step?.fail(TOOL_ERROR.badArguments);
    return `Error: bad arguments for ${name}: ${checked.problems.join('; ')}.`;
  }
  const op = tool.copy();
  const child = context.child(batch.inputFor ? batch.inputFor(checked.args) : checked.args);
  try {
    await op.run(child, signal, step);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // Logged with the flow id; the model reads what a client may see (masked unless exposed).
    const cause = error instanceof OpFailedError ? error.cause : error;
    step?.end(cause);
    return `Error: tool '${name}' failed: ${context.errorText(op.constructor.name, cause)}`;
  }
  const reported = child.response.metadata.errors as { message: string }[] | undefined;
  if (reported?.length) {
    step?.fail(TOOL_ERROR.reported);
    return `Error: ${reported.map((error) => error.message).join('; ')}`;
  }
  return op.resultText();
}

/** Cuts a tool result that would swamp the model's context and the client (a 50 MB file, say). */
function capped(content: string, max: number): string {
  if (content.length <= max) return content;
  return `${content.slice(0, max)}\n[… cut: the tool answered ${content.length} characters; the first ${max} are shown]`;
}
