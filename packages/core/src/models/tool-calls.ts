import { type ToolCallChunk, toolCallChunk } from '../chunk.js';
import { FlowllmError } from '../errors.js';
import type { LlmChunk, ToolSpec } from './types.js';

/**
 * The names of the tools a call offers (`options.tools`, else `params.tools`); undefined when none
 * is offered. FlowLLM streams tool calls only for offered tools.
 *
 * @example
 * offeredTools(options.tools, params.tools) // Set { 'get_weather' }
 */
export function offeredTools(...lists: unknown[]): Set<string> | undefined {
  const list = lists.find((item) => Array.isArray(item) && item.length > 0) as ToolSpec[] | undefined;
  if (!list) return undefined;
  return new Set(list.map((tool) => String(tool?.function?.name ?? (tool as { name?: unknown })?.name)));
}

/**
 * The `tool` chunk of a finished call: arguments checked to be JSON (empty → `{}`); undefined when the
 * tool was not offered.
 *
 * @example
 * const chunk = toolChunk(call, offered, 'openai_compatible model qwen-max');
 */
export function toolChunk(
  call: ToolCallChunk,
  offered: Set<string> | undefined,
  who: string,
): LlmChunk | undefined {
  if (offered && !offered.has(call.function.name)) return undefined;
  const args = call.function.arguments.trim() === '' ? '{}' : call.function.arguments;
  try {
    JSON.parse(args);
  } catch {
    throw new FlowllmError(
      'FLOWLLM_MODEL_STREAM',
      `${who}: tool call ${call.function.name} has arguments that are not valid JSON`,
      { expose: true, status: 502 },
    );
  }
  const { index, function: fn } = call;
  // Some compatible endpoints send no id: the tool's answer must still name its call.
  const id = call.id || `call_${index}`;
  return { chunk_type: 'tool', chunk: toolCallChunk({ index, id, name: fn.name, arguments: args }) };
}

/** A usage chunk in FlowLLM's (OpenAI's) spelling. */
export function usageChunk(promptTokens: number, completionTokens: number): LlmChunk {
  return {
    chunk_type: 'usage',
    chunk: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** A tool-call delta of an OpenAI stream; some compatible endpoints leave out `index`. */
export type ToolCallDelta = {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
};

/**
 * Joins OpenAI tool-call deltas into whole calls: by `index`, or, for endpoints that leave it out,
 * in arrival order — a delta with a new `id` starts the next call, the others continue the last one.
 *
 * @example
 * const buffer = new ToolCallBuffer();
 * for (const delta of choice.delta.tool_calls ?? []) buffer.add(delta);
 * buffer.calls(); // in index order
 */
export class ToolCallBuffer {
  private readonly byIndex = new Map<number, ToolCallChunk>();
  private last: ToolCallChunk | undefined;

  add(delta: ToolCallDelta): void {
    const index = typeof delta.index === 'number' ? delta.index : this.arrivalIndex(delta.id);
    let call = this.byIndex.get(index);
    if (!call) {
      call = toolCallChunk({ index, id: '', name: '', arguments: '' });
      this.byIndex.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.function.name += delta.function.name;
    if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
    this.last = call;
  }

  /** The calls so far, in index order. */
  calls(): ToolCallChunk[] {
    return [...this.byIndex.values()].sort((a, b) => a.index - b.index);
  }

  private arrivalIndex(id: string | undefined): number {
    const last = this.last;
    if (last && (!id || !last.id || id === last.id)) return last.index;
    return this.byIndex.size === 0 ? 0 : Math.max(...this.byIndex.keys()) + 1;
  }
}
