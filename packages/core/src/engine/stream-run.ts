import { context as otelContext } from '@opentelemetry/api';
import { createChunk, type FlowStreamChunk } from '../chunk.js';
import { errorMessage } from '../errors.js';
import type { BaseOp } from '../op/base-op.js';
import { ChunkChannel, STREAM_HIGH_WATER_MARK } from './chunk-channel.js';
import type { ErrorFormatter, FlowContext } from './context.js';
import type { FlowRunOptions } from './flow.js';
import { FlowStream, type FlowStreamProgress } from './flow-stream.js';
import { Latch } from './latch.js';
import type { FlowResources } from './resources.js';
import type { RunDeadlines } from './run-deadlines.js';
import { abortReason, runContext, runOps } from './run-setup.js';

const RESOLVED = Promise.resolve();

/** What a {@link StreamRun} starts from: its flow's parts, the request's input and options. */
export interface StreamRunParts {
  flowName: string;
  buildOpTree: () => BaseOp;
  resources: FlowResources;
  /** The flow's timeout queue; none when the flow has no timeout. */
  deadlines: RunDeadlines | undefined;
  flowId: string;
  input: Record<string, unknown>;
  options: FlowRunOptions;
}

/**
 * One streaming run of a flow: its signal, context, chunk channel and the end of the stream. One object
 * with methods (and itself as the abort listener), not a dozen closures and promises: an idle open
 * stream holds this for as long as its client waits.
 *
 * @example
 * const stream = new StreamRun({ flowName, buildOpTree, resources, deadlines, flowId, input, options }).stream;
 */
export class StreamRun implements FlowStreamProgress {
  readonly stream: FlowStream;
  produced = 0;
  private readonly controller = new AbortController();
  private readonly channel: ChunkChannel<FlowStreamChunk>;
  private readonly context: FlowContext;
  // `ready` and `settled`: a flag each, and a promise only for someone who waits before they happen.
  private isReady = false;
  private isSettled = false;
  private readyWaiter: Latch | undefined;
  private settledWaiter: Latch | undefined;
  private readonly formatError: ErrorFormatter;
  // The caller's signal (a disconnect), linked to ours while the run lasts.
  private readonly outer: AbortSignal | undefined;
  private readonly abortError: (reason: unknown) => unknown;
  private readonly deadlines: RunDeadlines | undefined;
  private ended = false;

  constructor(parts: StreamRunParts) {
    const { options } = parts;
    const controller = this.controller;
    this.channel = new ChunkChannel<FlowStreamChunk>(
      options.highWaterMark ?? STREAM_HIGH_WATER_MARK,
      (reason) => controller.abort(reason),
    );
    const root = parts.buildOpTree();
    this.formatError = options.formatError ?? errorMessage;
    this.abortError = options.abortError ?? abortReason;
    this.outer = options.signal;
    if (this.outer?.aborted) controller.abort(this.abortError(this.outer.reason));
    else this.outer?.addEventListener('abort', this, { once: true });
    this.deadlines = parts.deadlines;
    this.deadlines?.add(controller);
    this.context = runContext({
      flowName: parts.flowName,
      flowId: parts.flowId,
      stream: true,
      input: parts.input,
      resources: parts.resources,
      controller,
      formatError: options.formatError,
      depth: options.depth,
      onOpen: () => this.markReady(),
      sink: (chunk) => this.push(chunk),
    });
    this.stream = new FlowStream({
      flowId: parts.flowId,
      signal: controller.signal,
      response: this.context.response,
      channel: this.channel,
      run: this,
    });
    // The end of the stream, once: when the ops finish, or at once on abort or timeout — an op that
    // ignores its signal must not hold the stream open.
    if (controller.signal.aborted) this.onAbort();
    else controller.signal.addEventListener('abort', this, { once: true });
    // The ops start on the next microtask, once the caller holds the stream.
    RESOLVED.then(() => this.startOps(root));
  }

  get ready(): Promise<void> {
    if (this.isReady) return RESOLVED;
    this.readyWaiter ??= new Latch();
    return this.readyWaiter.promise;
  }

  get settled(): Promise<void> {
    if (this.isSettled) return RESOLVED;
    this.settledWaiter ??= new Latch();
    return this.settledWaiter.promise;
  }

  /** The abort listener of both signals: ours ended the run; the caller's aborts ours. */
  handleEvent(event: Event): void {
    if (event.target === this.controller.signal) this.onAbort();
    else if (this.outer) this.controller.abort(this.abortError(this.outer.reason));
  }

  private startOps(root: BaseOp): void {
    let ops: Promise<void>;
    try {
      ops = runOps(root, this.context);
    } catch (error) {
      this.opsFailed(error);
      return;
    }
    ops.then(this.opsDone, this.opsFailed);
  }

  private readonly opsDone = () => {
    this.markSettled();
    this.end(false);
  };

  private readonly opsFailed = (error: unknown) => {
    this.markSettled();
    this.end(true, error);
  };

  private markReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.readyWaiter?.open();
    this.readyWaiter = undefined;
  }

  private markSettled(): void {
    this.isSettled = true;
    this.settledWaiter?.open();
    this.settledWaiter = undefined;
  }

  private push(chunk: FlowStreamChunk): Promise<void> {
    if (this.produced++ === 0) this.markReady();
    this.context.telemetry?.chunk(chunk.chunk_type);
    return this.channel.push(chunk);
  }

  // Producers waiting for room stop at once; what is queued still reaches the reader.
  private onAbort(): void {
    const reason = this.controller.signal.reason;
    this.channel.interrupt(reason);
    this.end(true, reason);
  }

  private end(failed: boolean, error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const { channel, context, controller, stream } = this;
    this.deadlines?.delete(controller);
    this.outer?.removeEventListener('abort', this);
    controller.signal.removeEventListener('abort', this);
    const telemetry = context.telemetry;
    telemetry?.end(failed ? error : undefined, this.produced);
    if (failed) {
      stream.failure = error;
      // Inside the run's span: a logger reading the active span logs this run's trace id.
      const format = () => safeFormat(this.formatError, error, context.flowId);
      const text = telemetry ? otelContext.with(telemetry.root.otelContext, format) : format();
      channel.pushFinal(createChunk(context.flowId, 'error', text, { done: true }));
    }
    // The run's usage (ops such as StreamChatOp keep it in the response, not in a chunk) rides on the
    // done chunk, for encoders that report it at the end; FlowLLM's wire writes done as [DONE].
    const usage = context.response.metadata.usage;
    const metadata = usage === undefined ? {} : { usage };
    channel.pushFinal(createChunk(context.flowId, 'done', '', { done: true, metadata }));
    channel.close();
    this.markReady();
  }
}

/** A formatter that throws must not take the stream down. */
export function safeFormat(format: ErrorFormatter, error: unknown, flowId: string): string {
  try {
    return format(error, { flowId });
  } catch {
    return 'the flow failed';
  }
}
