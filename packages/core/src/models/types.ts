import type { ChunkContent, ChunkType, ToolCallChunk } from '../chunk.js';

/**
 * An OpenAI-style chat message, as FlowLLM's `Message`.
 *
 * @example
 * const messages: Message[] = [
 *   { role: 'system', content: 'You are concise.' },
 *   { role: 'user', content: 'What is AI?' },
 * ];
 */
export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  reasoning_content?: string;
  /** Anthropic's signature of `reasoning_content`: sent back with it, as the API requires in tool loops. */
  reasoning_signature?: string;
  tool_calls?: ToolCallChunk[];
  tool_call_id?: string;
  name?: string;
}

/**
 * A tool offered to the model (OpenAI function-tool shape; the `anthropic` backend converts it).
 *
 * @example
 * const weather: ToolSpec = {
 *   type: 'function',
 *   function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
 * };
 */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/**
 * What a model stream yields: the wire chunk without flow_id, done and metadata.
 *
 * @example
 * const chunk: LlmChunk = { chunk_type: 'answer', chunk: 'Hel' };
 */
export interface LlmChunk {
  chunk_type: Exclude<ChunkType, 'done'>;
  chunk: ChunkContent;
  /**
   * On the last `think` chunk of an Anthropic thinking block: the block's signature, which a tool
   * loop must send back with the reasoning (the `anthropic` backend does, from `reasoning_signature`).
   * Never on the wire.
   */
  signature?: string;
}

/**
 * Token counts of one model call, as a `usage` chunk carries them.
 *
 * @example
 * const usage: Usage = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };
 */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Options of one model call (`llm.stream()` / `llm.chat()`).
 *
 * @example
 * const message = await this.llm.chat(messages, { signal: this.signal, tools: [weather], params: { temperature: 0 } });
 */
export interface LlmCallOptions {
  /**
   * Aborts the upstream request; a disconnect or flow timeout fires it. Pass `this.signal` in ops.
   * @default none: the call runs to its end
   */
  signal?: AbortSignal;
  /**
   * Tools offered to the model; its calls come back as `tool` chunks.
   * @default none (or the entry's `params.tools`)
   */
  tools?: ToolSpec[];
  /**
   * Keep tool calls that name a tool which was not offered. By default they are dropped, as FlowLLM
   * does; an agent keeps them to answer each with an error the model can read.
   * @default false
   */
  allToolCalls?: boolean;
  /**
   * Per-call parameters, merged over the config entry's `params`.
   * @default {}
   */
  params?: Record<string, unknown>;
  /**
   * Called once the upstream accepted the request (before the first token). Lets the HTTP service
   * send `200` early, yet answer a model that cannot be reached with a real error status.
   * @default none
   */
  onOpen?: () => void;
  /**
   * Called with the provider's reason the model stopped (OpenAI's `finish_reason`: `stop`, `length`,
   * `tool_calls`…; Anthropic's `stop_reason`: `end_turn`, `tool_use`…) once its answer is complete.
   * Telemetry records it as `gen_ai.response.finish_reasons`.
   * @default none
   */
  onFinish?: (reason: string) => void;
}

/**
 * The assistant message a non-streaming `chat` returns, aggregated from the stream.
 *
 * @example
 * const { content, reasoning_content, tool_calls, usage }: AssistantMessage = await llm.chat(messages);
 */
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

/**
 * A text embedding model (`this.embeddingModel` in an op).
 *
 * @example
 * const [vector] = await this.embeddingModel.embed(['What is AI?'], { signal: this.signal });
 */
export interface EmbeddingModel {
  readonly backend: string;
  readonly modelName: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/**
 * A stored document, as FlowLLM's `VectorNode`.
 *
 * @example
 * const node: VectorNode = { unique_id: 'doc-1', workspace_id: 'notes', content: 'AI is…', metadata: { year: 2024 } };
 */
export interface VectorNode {
  unique_id: string;
  workspace_id: string;
  content: string;
  vector?: number[];
  metadata: Record<string, unknown>;
}

/**
 * Options of `VectorStore.search`.
 *
 * @example
 * await store.search('apple', { workspaceId: 'fruit', topK: 3, filter: { year: { gte: 2020 } } });
 */
export interface VectorSearchOptions {
  /** The workspace to search. */
  workspaceId: string;
  /**
   * How many nodes to return, best first.
   * @default 1 (FlowLLM's `top_k`)
   */
  topK?: number;
  /**
   * Conditions on `metadata`, all of which must hold (see `matchesFilter`).
   * @default none
   */
  filter?: Record<string, unknown>;
  /**
   * Aborts the query embedding.
   * @default none
   */
  signal?: AbortSignal;
}

/**
 * A vector store: upsert nodes (each names its workspace), delete them by id, search a workspace.
 *
 * @example
 * await this.vectorStore.insert([{ unique_id: '1', workspace_id: 'w', content: 'apple pie', metadata: {} }]);
 * const [best] = await this.vectorStore.search('dessert', { workspaceId: 'w' });
 */
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
