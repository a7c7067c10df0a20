import type { FlowStreamChunk, ToolCallChunk } from '../chunk.js';
import { chunkText, ToolCallIds, toolChunkKind, UsageTotal } from './chunk-parts.js';

/** One step of a chat completion as the facade writes it. */
export type OpenAIStep =
  | { kind: 'role' }
  | { kind: 'content'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool_call'; index: number; call: ToolCallChunk }
  | { kind: 'error'; message: string }
  | { kind: 'end' }
  | { kind: 'none' };

/**
 * What the chunks of one run mean for a chat completion, shared by the streaming encoder and the
 * non-streaming answer: the step each chunk is, the usage so far, and the `finish_reason` — `tool_calls`
 * when the run stopped on calls nothing answered (the caller is to run them), else `stop`.
 */
export class OpenAITurn {
  readonly usage = new UsageTotal();
  private started = false;
  private toolCalls = 0;
  private readonly ids = new ToolCallIds();
  /** True once the `done` chunk was seen: a stream cut short has none. */
  ended = false;
  failed = false;

  /** The steps for one chunk: a `role` step comes first of all. */
  steps(chunk: FlowStreamChunk): OpenAIStep[] {
    const step = this.step(chunk);
    if (this.started) return [step];
    this.started = true;
    return [{ kind: 'role' }, step];
  }

  get finishReason(): 'stop' | 'tool_calls' {
    return this.ids.unanswered ? 'tool_calls' : 'stop';
  }

  private step(chunk: FlowStreamChunk): OpenAIStep {
    switch (chunk.chunk_type) {
      case 'think':
      case 'answer': {
        const text = chunkText(chunk.chunk);
        if (text === '') return { kind: 'none' };
        // Words after a call mean the flow went on past it (it ran the tool itself).
        if (chunk.chunk_type === 'answer') this.ids.settle();
        return chunk.chunk_type === 'think' ? { kind: 'reasoning', text } : { kind: 'content', text };
      }
      case 'tool': {
        const sorted = toolChunkKind(chunk.chunk);
        if (sorted.kind === 'result') {
          this.ids.result(sorted.result.tool_call_id);
          return { kind: 'none' };
        }
        if (sorted.kind === 'other') return { kind: 'none' };
        const index = this.toolCalls++;
        const call = sorted.call;
        return { kind: 'tool_call', index, call: { ...call, id: this.ids.call(call) } };
      }
      case 'usage':
        this.usage.add(chunk.chunk);
        return { kind: 'none' };
      case 'error':
        // An op's report (`raise_exception: false`) does not end the run: OpenAI's wire has no place for it.
        if (!chunk.done) return { kind: 'none' };
        this.failed = true;
        return { kind: 'error', message: chunkText(chunk.chunk) };
      case 'done':
        this.ended = true;
        this.usage.addFinal(chunk);
        return { kind: 'end' };
    }
  }
}

/** OpenAI's `usage` object from a run's total. */
export function openAIUsage(usage: UsageTotal): Record<string, number> {
  return { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.total };
}

/** The error object OpenAI's clients read (`{error: {message, type, param, code}}`). */
export function openAIErrorBody(
  message: string,
  type: string,
  options: { param?: string | null; code?: string | null } = {},
): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message, type, param: options.param ?? null, code: options.code ?? null } };
}
