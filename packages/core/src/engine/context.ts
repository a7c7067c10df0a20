import { type ChunkContent, type ChunkType, createChunk, type FlowStreamChunk } from '../chunk.js';
import { errorMessage, FlowllmError } from '../errors.js';
import type { LlmChunk } from '../models/types.js';
import type { FlowResources } from './resources.js';

/** What a sync flow answers: FlowLLM's `FlowResponse`. */
export interface FlowResponse {
  answer: ChunkContent;
  success: boolean;
  metadata: Record<string, unknown>;
}

/** An error an op reported without failing the flow (`raise_exception: false`). */
export interface ReportedError {
  op: string;
  message: string;
}

export interface FlowContextInit {
  flowId: string;
  stream: boolean;
  signal: AbortSignal;
  resources: FlowResources;
  input: Record<string, unknown>;
  /** Where stream chunks go; resolves when there is room again (backpressure). */
  sink?: (chunk: FlowStreamChunk) => Promise<void>;
  /** Turns an error into the text clients may see. */
  formatError?: (error: unknown) => string;
}

/**
 * The per-request state every op of a flow shares: the request's fields as keys, `flow_id`,
 * `stream`, the `response`, the abort signal, and the stream sink.
 *
 * @example
 * const query = context.get<string>('query');
 * await context.addStreamChunkAndType(`You said ${query}`, 'answer');
 */
export class FlowContext {
  readonly flowId: string;
  readonly stream: boolean;
  readonly signal: AbortSignal;
  readonly resources: FlowResources;
  readonly response: FlowResponse = { answer: '', success: true, metadata: {} };
  /** How many chunks ops have streamed so far (an op never retries after streaming). */
  emittedCount = 0;
  private readonly values = new Map<string, unknown>();
  private readonly sink: ((chunk: FlowStreamChunk) => Promise<void>) | undefined;
  private readonly formatError: (error: unknown) => string;

  constructor(init: FlowContextInit) {
    this.flowId = init.flowId;
    this.stream = init.stream;
    this.signal = init.signal;
    this.resources = init.resources;
    this.sink = init.sink;
    this.formatError = init.formatError ?? errorMessage;
    for (const [key, value] of Object.entries(init.input)) this.values.set(key, value);
    this.values.set('flow_id', init.flowId);
    this.values.set('stream', init.stream);
  }

  get<T = unknown>(key: string): T {
    return this.values.get(key) as T;
  }

  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Every key and value, as a plain object (for logging or a sync answer). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }

  /**
   * Streams one chunk to the client. Resolves when the stream has room for more, so an op that
   * awaits it stops pulling from its model while the client is slow. Ignored by sync flows.
   */
  addStreamChunk(chunk: FlowStreamChunk | LlmChunk): Promise<void> {
    if (chunk.chunk_type === 'done') {
      throw new FlowllmError('FLOWLLM_STREAM', "ops may not send a 'done' chunk; the engine ends the stream");
    }
    this.signal.throwIfAborted();
    if (!this.stream || !this.sink) return Promise.resolve();
    this.emittedCount++;
    const full = 'flow_id' in chunk ? { ...chunk, flow_id: chunk.flow_id || this.flowId } : chunk;
    return this.sink(
      'flow_id' in full
        ? createChunk(full.flow_id, full.chunk_type, full.chunk, { done: full.done, metadata: full.metadata })
        : createChunk(this.flowId, full.chunk_type, full.chunk),
    );
  }

  /** FlowLLM's `add_stream_chunk_and_type`: stream content with a chunk type. */
  addStreamChunkAndType(
    content: ChunkContent,
    chunkType: Exclude<ChunkType, 'done'> = 'answer',
  ): Promise<void> {
    return this.addStreamChunk({ chunk_type: chunkType, chunk: content });
  }

  /** Reports an op failure without failing the flow: an error chunk, or `response.metadata.errors`. */
  async reportError(opName: string, error: unknown): Promise<void> {
    const message = this.formatError(error);
    const errors = (this.response.metadata.errors as ReportedError[] | undefined) ?? [];
    errors.push({ op: opName, message });
    this.response.metadata.errors = errors;
    if (this.stream && this.sink) {
      await this.sink(createChunk(this.flowId, 'error', message, { metadata: { op: opName } }));
    }
  }
}
