/**
 * The six chunk types of FlowLLM's wire format, in its order.
 *
 * @example
 * CHUNK_TYPES.includes('answer'); // true
 */
export const CHUNK_TYPES = ['think', 'answer', 'tool', 'usage', 'error', 'done'] as const;

/**
 * One of {@link CHUNK_TYPES}: what a chunk carries. `done` is internal: it is sent as `data:[DONE]`.
 *
 * @example
 * const type: ChunkType = 'think';
 */
export type ChunkType = (typeof CHUNK_TYPES)[number];

/**
 * A tool call as FlowLLM streams it in a `tool` chunk; `arguments` is JSON text.
 *
 * @example
 * const call: ToolCallChunk = { index: 0, id: 'call_0', function: { arguments: '{"q":"ai"}', name: 'search' }, type: 'function' };
 */
export interface ToolCallChunk {
  index: number;
  id: string;
  function: { arguments: string; name: string };
  type: 'function';
}

/**
 * A {@link ToolCallChunk} with its keys in FlowLLM's order — `index, id, function{arguments, name}, type`,
 * as `ToolCall.simple_output_dump()` writes them — so a `tool` chunk matches FlowLLM byte for byte.
 *
 * @example
 * JSON.stringify(toolCallChunk({ index: 0, id: 'c1', name: 'search', arguments: '{}' }));
 * // {"index":0,"id":"c1","function":{"arguments":"{}","name":"search"},"type":"function"}
 */
export function toolCallChunk(call: {
  index: number;
  id: string;
  name: string;
  arguments: string;
}): ToolCallChunk {
  return {
    index: call.index,
    id: call.id,
    function: { arguments: call.arguments, name: call.name },
    type: 'function',
  };
}

/**
 * What a chunk carries: text for `think`, `answer` and `error`, a {@link ToolCallChunk} for `tool`, an
 * object for `usage` (ops may stream any other JSON value).
 *
 * @example
 * const usage: ChunkContent = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };
 */
export type ChunkContent = string | Record<string, unknown> | unknown[] | ToolCallChunk;

/**
 * One streamed chunk, wire-compatible with FlowLLM's `FlowStreamChunk`
 * (field names and order: flow_id, chunk_type, chunk, done, metadata).
 *
 * @example
 * for await (const chunk of app.stream('chat', { query: 'hi' })) {
 *   if (chunk.chunk_type === 'answer') process.stdout.write(String(chunk.chunk));
 * }
 */
export interface FlowStreamChunk {
  flow_id: string;
  chunk_type: ChunkType;
  chunk: ChunkContent;
  done: boolean;
  metadata: Record<string, unknown>;
}

/**
 * Builds a chunk with its fields in FlowLLM's order, so `JSON.stringify` matches FlowLLM byte for byte.
 *
 * @example
 * createChunk('3f2a', 'answer', 'Hel') // {flow_id:'3f2a', chunk_type:'answer', chunk:'Hel', done:false, metadata:{}}
 */
export function createChunk(
  flowId: string,
  chunkType: ChunkType,
  chunk: ChunkContent,
  options: { done?: boolean; metadata?: Record<string, unknown> } = {},
): FlowStreamChunk {
  return {
    flow_id: flowId,
    chunk_type: chunkType,
    chunk,
    done: options.done ?? chunkType === 'done',
    metadata: options.metadata ?? {},
  };
}

/**
 * Whether `value` is one of the chunk types, e.g. to check a chunk read from the wire.
 *
 * @example
 * isChunkType('answer'); // true
 * isChunkType('delta'); // false
 */
export function isChunkType(value: unknown): value is ChunkType {
  return typeof value === 'string' && (CHUNK_TYPES as readonly string[]).includes(value);
}
