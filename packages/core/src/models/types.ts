import type { ChunkContent, ChunkType, ToolCallChunk } from '../chunk.js';

/** An OpenAI-style chat message, as FlowLLM's `Message`. */
export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  reasoning_content?: string;
  tool_calls?: ToolCallChunk[];
  tool_call_id?: string;
  name?: string;
}

/** A tool offered to the model (OpenAI function-tool shape). */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** What a model stream yields: the wire chunk without flow_id, done and metadata. */
export interface LlmChunk {
  chunk_type: Exclude<ChunkType, 'done'>;
  chunk: ChunkContent;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface LlmCallOptions {
  /** Aborts the upstream request; a disconnect or flow timeout fires it. */
  signal?: AbortSignal;
  tools?: ToolSpec[];
  /** Per-call parameters, merged over the config entry's `params`. */
  params?: Record<string, unknown>;
  /**
   * Called once the upstream accepted the request (before the first token). Lets the HTTP service
   * send `200` early, yet answer a model that cannot be reached with a real error status.
   */
  onOpen?: () => void;
}

/** The assistant message a non-streaming `chat` returns, aggregated from the stream. */
export interface AssistantMessage extends Message {
  role: 'assistant';
  usage?: Usage;
}

/**
 * A chat model. `stream` is the primitive; `chat` aggregates it.
 *
 * @example
 * for await (const chunk of llm.stream([{ role: 'user', content: 'hi' }], { signal })) {
 *   if (chunk.chunk_type === 'answer') process.stdout.write(String(chunk.chunk));
 * }
 */
export interface Llm {
  readonly backend: string;
  readonly modelName: string;
  stream(messages: Message[], options?: LlmCallOptions): AsyncIterable<LlmChunk>;
  chat(messages: Message[], options?: LlmCallOptions): Promise<AssistantMessage>;
}

/** A text embedding model. */
export interface EmbeddingModel {
  readonly backend: string;
  readonly modelName: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/** A stored document, as FlowLLM's `VectorNode`. */
export interface VectorNode {
  unique_id: string;
  workspace_id: string;
  content: string;
  vector?: number[];
  metadata: Record<string, unknown>;
}

export interface VectorSearchOptions {
  workspaceId: string;
  topK?: number;
  filter?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** A vector store; backends arrive with the model-backend work (`memory`, `local`). */
export interface VectorStore {
  readonly backend: string;
  insert(nodes: VectorNode[], options?: { signal?: AbortSignal }): Promise<void>;
  delete(ids: string[], workspaceId: string): Promise<void>;
  search(query: string, options: VectorSearchOptions): Promise<VectorNode[]>;
}
