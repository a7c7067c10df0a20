/** The six chunk types of FlowLLM's wire format, in its order. */
export const CHUNK_TYPES = ['think', 'answer', 'tool', 'usage', 'error', 'done'] as const;
export type ChunkType = (typeof CHUNK_TYPES)[number];

/** A tool call as FlowLLM streams it in a `tool` chunk. */
export interface ToolCallChunk {
  index: number;
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChunkContent = string | Record<string, unknown> | unknown[] | ToolCallChunk;

/**
 * One streamed chunk, wire-compatible with FlowLLM's `FlowStreamChunk`
 * (field names and order: flow_id, chunk_type, chunk, done, metadata).
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

export function isChunkType(value: unknown): value is ChunkType {
  return typeof value === 'string' && (CHUNK_TYPES as readonly string[]).includes(value);
}
