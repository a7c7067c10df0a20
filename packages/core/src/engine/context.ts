import {
  type ChunkContent,
  type ChunkType,
  createChunk,
  type FlowStreamChunk,
  isChunkType,
} from '../chunk.js';
import { errorMessage, FlowllmError } from '../errors.js';
import type { LlmChunk } from '../models/types.js';
import type { RunTelemetry } from '../telemetry/run-telemetry.js';
import type { FlowResources } from './resources.js';

const RESOLVED = Promise.resolve();

/**
 * What a sync flow answers: FlowLLM's `FlowResponse`. Ops fill it through `this.context.response`.
 *
 * @example
 * const { answer, success, metadata }: FlowResponse = await app.run('shout_flow', { query: 'hi' });
 */
export interface FlowResponse {
  answer: ChunkContent;
  success: boolean;
  metadata: Record<string, unknown>;
}

/**
 * An error an op reported without failing the flow (`raise_exception: false`); sync flows list them in
 * `response.metadata.errors`.
 *
 * @example
 * const errors = (response.metadata.errors ?? []) as ReportedError[];
 * for (const { op, message } of errors) console.warn(`${op}: ${message}`);
 */
export interface ReportedError {
  op: string;
  message: string;
}

/**
 * Context keys the engine and the built-in ops own, so a request may not set them (the HTTP service
 * and the command line answer 422 `reserved`): `flow_id` and `stream` (set for every request),
 * `response` and `stream_queue` (FlowLLM's context members), `system_prompt` (written by
 * `GenSystemPromptOp`, sent by `ChatOp`/`StreamChatOp` as the system message).
 *
 * @example
 * ENGINE_KEYS.has('system_prompt'); // true: `{"system_prompt": "…"}` in a body gets 422
 */
export const ENGINE_KEYS: ReadonlySet<string> = new Set([
  'flow_id',
  'stream',
  'response',
  'stream_queue',
  'system_prompt',
]);

/**
 * What a {@link FlowContext} is built from. The engine builds one per request; tests of a single op can
 * build their own.
 *
 * @example
 * const context = new FlowContext({
 *   flowId: newFlowId(),
 *   stream: false,
 *   signal: new AbortController().signal,
 *   resources: app.resources,
 *   input: { query: 'hi' },
 * });
 */
export interface FlowContextInit {
  flowId: string;
  stream: boolean;
  signal: AbortSignal;
  resources: FlowResources;
  input: Record<string, unknown>;
  /** Where stream chunks go; resolves when there is room again (backpressure). */
  sink?: (chunk: FlowStreamChunk) => Promise<void>;
  /** Turns an error into the text clients may see. */
  formatError?: ErrorFormatter;
  /** Called the first time the flow shows a sign of life (a model connected). */
  onOpen?: () => void;
  /** How many flows run this one as a tool (see `FlowRunOptions.depth`). @default 0 */
  depth?: number;
  /** The run's telemetry (spans, metrics, timeline), when something listens. @default none */
  telemetry?: RunTelemetry;
}

/** Turns a failure into the text a client sees; `op` is set for errors an op reported itself. */
export type ErrorFormatter = (error: unknown, info: { flowId: string; op?: string }) => string;

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
  /** How many flows run this one as a tool; `ToolFlowOp` refuses to nest deeper than a few. */
  readonly depth: number;
  /** The run's telemetry, when something listens (ops hang their spans below its root). */
  readonly telemetry: RunTelemetry | undefined;
  readonly response: FlowResponse = { answer: '', success: true, metadata: {} };
  /** How many chunks ops have streamed so far (an op never retries after streaming). */
  emittedCount = 0;
  private readonly values = new Map<string, unknown>();
  private readonly sink: ((chunk: FlowStreamChunk) => Promise<void>) | undefined;
  private readonly formatError: ErrorFormatter;
  private readonly onOpen: (() => void) | undefined;

  constructor(init: FlowContextInit) {
    this.flowId = init.flowId;
    this.stream = init.stream;
    this.signal = init.signal;
    this.resources = init.resources;
    this.sink = init.sink;
    this.formatError = init.formatError ?? errorMessage;
    this.onOpen = init.onOpen;
    this.depth = init.depth ?? 0;
    this.telemetry = init.telemetry;
    for (const [key, value] of Object.entries(init.input)) this.values.set(key, value);
    this.values.set('flow_id', init.flowId);
    this.values.set('stream', init.stream);
  }

  /**
   * A context for one tool call inside this flow: the call's arguments as its fields, this flow's id,
   * signal, models and error wording, no stream (the caller streams the result) and its own response.
   */
  child(input: Record<string, unknown>): FlowContext {
    return new FlowContext({
      flowId: this.flowId,
      stream: false,
      signal: this.signal,
      resources: this.resources,
      input,
      formatError: this.formatError,
      onOpen: this.onOpen,
      depth: this.depth,
      telemetry: this.telemetry,
    });
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
    if (!('flow_id' in chunk)) return this.emit(chunk.chunk_type, chunk.chunk);
    this.check(chunk.chunk_type, chunk.chunk);
    if (!this.stream || !this.sink) return RESOLVED;
    this.emittedCount++;
    return this.sink(
      createChunk(chunk.flow_id || this.flowId, chunk.chunk_type, chunk.chunk, {
        done: chunk.done,
        metadata: chunk.metadata,
      }),
    );
  }

  /** FlowLLM's `add_stream_chunk_and_type`: stream content with a chunk type. */
  addStreamChunkAndType(
    content: ChunkContent,
    chunkType: Exclude<ChunkType, 'done'> = 'answer',
  ): Promise<void> {
    return this.emit(chunkType, content);
  }

  // The per-token path: the checks and one new chunk object, nothing more.
  private emit(type: ChunkType, content: ChunkContent): Promise<void> {
    this.check(type, content);
    if (!this.stream || !this.sink) return RESOLVED;
    this.emittedCount++;
    return this.sink({ flow_id: this.flowId, chunk_type: type, chunk: content, done: false, metadata: {} });
  }

  private check(type: ChunkType, content: ChunkContent): void {
    if (type === 'done') {
      throw new FlowllmError('FLOWLLM_STREAM', "ops may not send a 'done' chunk; the engine ends the stream");
    }
    if (!isChunkType(type)) {
      throw new FlowllmError(
        'FLOWLLM_STREAM',
        `unknown chunk_type '${String(type)}'; expected think, answer, tool, usage or error`,
      );
    }
    if (typeof content !== 'string' && (typeof content !== 'object' || content === null)) {
      throw new FlowllmError('FLOWLLM_STREAM', 'a chunk must carry a string, an object or an array');
    }
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** Says the flow is alive (a model accepted a request), so the HTTP status can be sent. */
  markOpen(): void {
    this.onOpen?.();
  }

  /** The text a client may see for an op's failure (masked unless exposed, as the service configures). */
  errorText(opName: string, error: unknown): string {
    try {
      return this.formatError(error, { flowId: this.flowId, op: opName });
    } catch {
      return `${opName} failed`;
    }
  }

  /** Reports an op failure without failing the flow: an error chunk, or `response.metadata.errors`. */
  async reportError(opName: string, error: unknown): Promise<void> {
    const message = this.errorText(opName, error);
    const errors = (this.response.metadata.errors as ReportedError[] | undefined) ?? [];
    errors.push({ op: opName, message });
    this.response.metadata.errors = errors;
    if (this.stream && this.sink) {
      await this.sink(createChunk(this.flowId, 'error', message, { metadata: { op: opName } }));
    }
  }
}
