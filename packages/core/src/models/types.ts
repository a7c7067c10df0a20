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

/** A vector store: upsert nodes (each names its workspace), delete them by id, search a workspace. */
export interface VectorStore {
  readonly backend: string;
  insert(nodes: VectorNode[], options?: { signal?: AbortSignal }): Promise<void>;
  delete(ids: string[], workspaceId: string): Promise<void>;
  search(query: string, options: VectorSearchOptions): Promise<VectorNode[]>;
}

/**
 * A vector store with FlowLLM's workspace operations, as the built-in `memory` and `local` stores
 * have them. Dumps are JSONL files, `<dir>/<workspace_id>.jsonl`, one node per line.
 *
 * @example
 * const { size } = await store.dumpWorkspace('notes', './backup');
 */
export interface WorkspaceVectorStore extends VectorStore {
  existWorkspace(workspaceId: string): Promise<boolean>;
  createWorkspace(workspaceId: string): Promise<void>;
  deleteWorkspace(workspaceId: string): Promise<void>;
  listWorkspaces(): Promise<string[]>;
  /** Copies of the workspace's nodes (empty when it does not exist). */
  workspaceNodes(workspaceId: string): Promise<VectorNode[]>;
  copyWorkspace(source: string, destination: string): Promise<{ size: number }>;
  dumpWorkspace(workspaceId: string, dir?: string): Promise<{ size: number; path: string }>;
  /** Replaces the workspace with the dumped nodes (and `nodes`), embedding those without a vector. */
  loadWorkspace(
    workspaceId: string,
    dir?: string,
    nodes?: VectorNode[],
    options?: { signal?: AbortSignal },
  ): Promise<{ size: number }>;
}
