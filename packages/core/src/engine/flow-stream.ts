import type { FlowStreamChunk } from '../chunk.js';
import type { ChunkChannel } from './chunk-channel.js';
import type { FlowResponse } from './context.js';

/** What a {@link FlowStream} wraps: the flow run's id, signal, response, chunk channel and progress. */
export interface FlowStreamParts {
  flowId: string;
  /** The flow's own signal: fires on cancel, on the caller's abort, and on timeout. */
  signal: AbortSignal;
  /** The context's response, filled in by ops as they run. */
  response: FlowResponse;
  channel: ChunkChannel<FlowStreamChunk>;
  /** The run's progress, read when asked (its promises are made only for someone who awaits them). */
  run: FlowStreamProgress;
}

/** How far a streaming run has got: what {@link FlowStream}'s `ready`, `settled` and `produced` read. */
export interface FlowStreamProgress {
  /** Resolves once the op tree has stopped running, however it ended. */
  readonly settled: Promise<void>;
  /** Resolves at the flow's first sign of life, or when it ended. */
  readonly ready: Promise<void>;
  /** Chunks the ops have produced so far. */
  readonly produced: number;
}

/**
 * The chunks of one streaming flow run, ending with the `done` chunk. Stop iterating (or call
 * `cancel`) and the flow is aborted: ops not yet started never start, the model request is cut.
 *
 * @example
 * const stream = app.stream('demo_stream_http_flow', { query: 'hi' });
 * for await (const chunk of stream) if (chunk.chunk_type === 'answer') process.stdout.write(String(chunk.chunk));
 */
export class FlowStream implements AsyncIterableIterator<FlowStreamChunk> {
  readonly flowId: string;
  /** The flow's own signal: fires on cancel, on the caller's abort, and on timeout. */
  readonly signal: AbortSignal;
  /** The context's response, filled in by ops as they run (e.g. `metadata.usage`). */
  readonly response: FlowResponse;
  private readonly channel: ChunkChannel<FlowStreamChunk>;
  private readonly run: FlowStreamProgress;

  constructor(parts: FlowStreamParts) {
    this.flowId = parts.flowId;
    this.signal = parts.signal;
    this.response = parts.response;
    this.channel = parts.channel;
    this.run = parts.run;
  }

  /** Resolves once the op tree has stopped running, however it ended. */
  get settled(): Promise<void> {
    return this.run.settled;
  }

  /**
   * Resolves at the flow's first sign of life — a model request connected, a chunk was produced —
   * or when it ended. A server can wait for it before sending `200`, so a flow that fails before
   * that (say, an unreachable model) still gets a real HTTP error status.
   */
  get ready(): Promise<void> {
    return this.run.ready;
  }

  /** Why the flow failed, once it has (the error chunk carries the text clients may see). */
  failure: unknown = undefined;
  /** Chunks the ops have produced so far (not counting the engine's final error and done chunks). */
  get produced(): number {
    return this.run.produced;
  }

  /**
   * Resolves once the reader has had the last chunk, or the stream was cancelled: from then on it holds
   * no reader or connection (its ops may still be winding down, see `settled`).
   */
  get finished(): Promise<void> {
    return this.channel.finished;
  }

  /**
   * Calls `listener` once the reader has had the last chunk, or the stream was cancelled — what
   * `finished` says, without making a promise per stream (the service's stream count uses it).
   */
  whenFinished(listener: () => void): void {
    this.channel.whenFinished(listener);
  }

  next(): Promise<IteratorResult<FlowStreamChunk>> {
    return this.channel.next();
  }

  return(): Promise<IteratorResult<FlowStreamChunk>> {
    return this.channel.return();
  }

  /** Every chunk already waiting, without awaiting (lets a writer coalesce a tick's chunks). */
  takeQueued(): FlowStreamChunk[] {
    return this.channel.takeQueued();
  }

  /**
   * Hands every chunk already waiting to `each` (called with `thisArg` as its `this`), in order, without
   * making an array: a writer's batch.
   */
  takeEach<C>(each: (this: C, chunk: FlowStreamChunk) => void, thisArg?: C): void {
    this.channel.takeEach(each, thisArg);
  }

  /**
   * Push mode for a writer that batches (the HTTP pump): `listener` runs when a batch starts or the
   * stream ends; take the batch with `takeEach` (or `takeQueued`) and stop once `ended`. Not for use with `for await`.
   */
  onReadable(listener: () => void): void {
    this.channel.onReadable(listener);
  }

  /** True once the last chunk has been taken, or the stream was cancelled. */
  get ended(): boolean {
    return this.channel.ended;
  }

  /** Aborts the flow with `reason`; the iteration ends. */
  cancel(reason?: unknown): void {
    this.channel.cancel(reason);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
