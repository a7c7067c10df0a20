import type { ChunkContent, ToolCallChunk } from '../chunk.js';

/** A tool result as the agent streams it (`tool` chunk): see ops/agent/run-tool-calls.ts. */
export interface ToolResultContent {
  type: 'tool_result';
  tool_call_id: string;
  name: string;
  content: string;
}

/** What a `tool` chunk holds: a model's call, a tool's result, or anything else an op streamed. */
export type ToolChunkKind =
  | { kind: 'call'; call: ToolCallChunk }
  | { kind: 'result'; result: ToolResultContent }
  | { kind: 'other'; value: ChunkContent };

/** Sorts a `tool` chunk's content into a call, a result, or other data. */
export function toolChunkKind(content: ChunkContent): ToolChunkKind {
  if (typeof content === 'object' && content !== null && !Array.isArray(content)) {
    const record = content as Record<string, unknown>;
    if (record.type === 'tool_result' && typeof record.tool_call_id === 'string')
      return { kind: 'result', result: record as unknown as ToolResultContent };
    const fn = record.function as Record<string, unknown> | undefined;
    if (typeof fn === 'object' && fn !== null && typeof fn.name === 'string')
      return { kind: 'call', call: record as unknown as ToolCallChunk };
  }
  return { kind: 'other', value: content };
}

/** A think/answer chunk's text (an op may stream a non-string: it is sent as its JSON). */
export function chunkText(content: ChunkContent): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** A tool call's arguments as a value: the parsed JSON, or the text when it is not JSON. */
export function parsedArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Token counts summed over a run's `usage` chunks (an agent streams one per model call).
 *
 * @example
 * const usage = new UsageTotal();
 * usage.add({ prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 });
 */
export class UsageTotal {
  seen = false;
  prompt = 0;
  completion = 0;
  total = 0;

  /** The usage on the `done` chunk (`response.metadata.usage`), when no `usage` chunk came before it. */
  addFinal(done: { metadata: Record<string, unknown> }): void {
    const usage = done.metadata.usage;
    if (!this.seen && usage !== undefined) this.add(usage as ChunkContent);
  }

  add(content: ChunkContent): void {
    if (typeof content !== 'object' || content === null || Array.isArray(content)) return;
    const usage = content as Record<string, unknown>;
    const prompt = count(usage.prompt_tokens);
    const completion = count(usage.completion_tokens);
    this.seen = true;
    this.prompt += prompt;
    this.completion += completion;
    this.total += usage.total_tokens === undefined ? prompt + completion : count(usage.total_tokens);
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** An SSE event holding one JSON value, framed as the AI SDK and OpenAI write it (`data: ` + JSON). */
export function jsonEvent(value: unknown): string {
  // JSON.stringify escapes CR and LF, so the value stays on one data line.
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The `[DONE]` event that ends an AI SDK or OpenAI stream. */
export const DATA_DONE = 'data: [DONE]\n\n';

/**
 * Tool call ids as a client may rely on them: one per call in the whole stream (an agent's steps may
 * reuse a provider's `call_0`), a result naming the call it answers, and whether calls are unanswered.
 */
export class ToolCallIds {
  private readonly used = new Set<string>();
  // The id each call was sent under, by the id the flow gave it, until its result comes.
  private readonly open = new Map<string, string>();

  /** The id to send for a model's call. */
  call(call: { id: string; index: number }): string {
    const given = call.id || `call_${call.index}`;
    let id = given;
    for (let n = 2; this.used.has(id); n++) id = `${given}_${n}`;
    this.used.add(id);
    this.open.set(given, id);
    return id;
  }

  /** The id to send for the result of the call the flow named `given`. */
  result(given: string): string {
    const id = this.open.get(given) ?? given;
    this.open.delete(given);
    return id;
  }

  /** Answered text after calls means the flow ran them: they are no longer the caller's to run. */
  settle(): void {
    this.open.clear();
  }

  /** Whether calls were made that nothing answered. */
  get unanswered(): boolean {
    return this.open.size > 0;
  }
}
