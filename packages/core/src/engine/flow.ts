import { context as otelContext } from '@opentelemetry/api';
import type { FlowConfig } from '../config/config-types.js';
import { FLOW_SCHEMA } from '../config/schema.js';
import { evaluateFlowProgram, type FlowProgram } from '../expression/evaluate.js';
import type { BaseOp } from '../op/base-op.js';
import { BaseToolOp } from '../op/base-tool-op.js';
import type { ToolDescription } from '../op/tool-schema.js';
import { isJsonKey } from '../storage/cache-key.js';
import { cacheStoreAt, cacheThrough } from '../storage/cache-through.js';
import type { ErrorFormatter, FlowResponse } from './context.js';
import type { FlowStream } from './flow-stream.js';
import type { OpTreeBuilder } from './op-builder.js';
import type { FlowResources } from './resources.js';
import { RunDeadlines } from './run-deadlines.js';
import { abortReason, BASE_FIELDS, runContext, runOps } from './run-setup.js';
import { StreamRun } from './stream-run.js';

/**
 * Options of `app.run()`, `app.stream()` and `flow.run()` / `flow.stream()`.
 *
 * @example
 * const controller = new AbortController();
 * for await (const chunk of app.stream('chat', { query: 'hi' }, { signal: controller.signal })) {
 *   if (chunk.chunk_type === 'error') controller.abort();
 * }
 */
export interface FlowRunOptions {
  /**
   * Abort the flow from outside (a disconnect); ops and model calls see it.
   * @default none: only the flow's own `timeout` aborts it
   */
  signal?: AbortSignal;
  /**
   * The error the flow fails with when `signal` aborts, made from the signal's reason (a server maps
   * every runtime's disconnect reason to one error this way, without a second signal).
   * @default the signal's reason; a FlowAbortedError when there is none or it is an `AbortError`
   */
  abortError?: (reason: unknown) => unknown;
  /**
   * The text of error chunks and reported errors.
   * @default the error's message
   */
  formatError?: ErrorFormatter;
  /**
   * Chunks buffered before ops wait for the consumer.
   * @default 64
   */
  highWaterMark?: number;
  /**
   * The flow id to use (e.g. one the server already logged).
   * @default a new random one ({@link newFlowId})
   */
  flowId?: string;
  /**
   * How many flows are running this one as a tool (`ToolFlowOp`): set by the op, which refuses to go
   * deeper than a few levels, so flows calling each other cannot loop forever.
   * @default 0
   */
  depth?: number;
  /**
   * Called with the error a `run` fails with, inside the run's telemetry context: a logger reading the
   * active span logs the run's trace and span ids (the server logs a failed sync run this way).
   * @default none
   */
  onFailure?: (error: unknown) => void;
}

// A flow made in code may leave the cache keys out.
const CACHE_DEFAULTS = FLOW_SCHEMA.fields;

/** What a {@link Flow} is made of: its config entry, its parsed program, and what builds its ops. */
export interface FlowParts {
  config: FlowConfig;
  program: FlowProgram;
  builder: OpTreeBuilder;
  resources: FlowResources;
}

/**
 * One configured flow. Every call builds a fresh op tree and context with a new `flow_id`.
 *
 * @example
 * const response = await app.flow('demo_http_flow').run({ query: 'hi' });
 */
export class Flow {
  readonly config: FlowConfig;
  readonly program: FlowProgram;
  private readonly builder: OpTreeBuilder;
  private readonly resources: FlowResources;
  private deadlines: RunDeadlines | undefined;

  constructor(
    readonly name: string,
    { config, program, builder, resources }: FlowParts,
  ) {
    this.config = config;
    this.program = program;
    this.builder = builder;
    this.resources = resources;
  }

  get isStream(): boolean {
    return this.config.stream;
  }

  /**
   * The flow as a tool (FlowLLM's `BaseToolFlow`), as MCP lists it and `ToolFlowOp` offers it to an
   * agent: named after the flow, described by its `description`, `input_schema` and `output_schema` —
   * and where the config leaves one empty, by its root op's when that op is a tool op.
   */
  get tool(): ToolDescription {
    const root = this.buildOpTree();
    const fromOp = root instanceof BaseToolOp ? root.tool : undefined;
    const { description, input_schema, output_schema } = this.config;
    const has = (fields: Record<string, unknown> | undefined) => fields && Object.keys(fields).length > 0;
    return {
      name: this.name,
      description: description || fromOp?.description || '',
      input_schema: has(input_schema) ? input_schema : (fromOp?.input_schema ?? {}),
      ...(has(output_schema)
        ? { output_schema }
        : fromOp?.output_schema
          ? { output_schema: fromOp.output_schema }
          : {}),
    };
  }

  /** A fresh op tree for one request. */
  buildOpTree(): BaseOp {
    return evaluateFlowProgram(this.program, this.builder);
  }

  /**
   * Runs to the end and returns `{answer, success, metadata}`; rejects when an op fails. With the flow's
   * `enable_cache`, a successful response (no reported errors) is stored, keyed on the flow and request,
   * and reused while fresh (FlowLLM's flow cache; a request that is not JSON is not cached).
   */
  async run(input: Record<string, unknown> = {}, options: FlowRunOptions = {}): Promise<FlowResponse> {
    const { enable_cache, cache_path = CACHE_DEFAULTS.cache_path.default } = this.config;
    const { cache_expire_hours = CACHE_DEFAULTS.cache_expire_hours.default } = this.config;
    const key = { flow: this.name, request: { ...BASE_FIELDS(), ...input } };
    if (!enable_cache || !isJsonKey(key)) return this.runOnce(input, options);
    const store = cacheStoreAt(cache_path.replaceAll('{flow_name}', this.name));
    const isClean = (response: FlowResponse) => response.success && response.metadata.errors === undefined;
    return cacheThrough(store, key, cache_expire_hours, () => this.runOnce(input, options), isClean);
  }

  private async runOnce(input: Record<string, unknown>, options: FlowRunOptions): Promise<FlowResponse> {
    const controller = new AbortController();
    const root = this.buildOpTree();
    const unlink = linkSignal(options.signal, controller, options.abortError ?? abortReason);
    const deadlines = this.runDeadlines();
    deadlines?.add(controller);
    const context = runContext({
      flowName: this.name,
      flowId: options.flowId ?? newFlowId(),
      stream: false,
      input,
      resources: this.resources,
      controller,
      formatError: options.formatError,
      depth: options.depth,
      onOpen: noop,
    });
    // The ops start on the next microtask, like a stream's.
    const work = RESOLVED.then(() => runOps(root, context));
    // A misbehaving op that ignores its signal must not hold the response open after an abort.
    const { promise: aborted, dispose } = rejectOnAbort(controller.signal);
    let failure: unknown;
    try {
      await Promise.race([work, aborted]);
    } catch (error) {
      failure = error;
      const report = options.onFailure && (() => options.onFailure?.(error));
      const telemetry = context.telemetry;
      if (report) telemetry ? otelContext.with(telemetry.root.otelContext, report) : report();
      throw error;
    } finally {
      deadlines?.delete(controller);
      unlink();
      dispose();
      context.telemetry?.end(failure, 0);
    }
    return context.response;
  }

  /** Runs and streams chunks; a failure becomes an error chunk; always ends with the done chunk. */
  stream(input: Record<string, unknown> = {}, options: FlowRunOptions = {}): FlowStream {
    return new StreamRun({
      flowName: this.name,
      buildOpTree: () => this.buildOpTree(),
      resources: this.resources,
      deadlines: this.runDeadlines(),
      flowId: options.flowId ?? newFlowId(),
      input,
      options,
    }).stream;
  }

  /** The shared timer of this flow's `timeout` (made on the first run); none without a limit. */
  private runDeadlines(): RunDeadlines | undefined {
    const seconds = this.config.timeout;
    // 0 and null (FlowLLM's "none") both mean no limit.
    if (!seconds) return undefined;
    this.deadlines ??= new RunDeadlines(this.name, seconds);
    return this.deadlines;
  }
}

const noop = () => undefined;
const RESOLVED = Promise.resolve();

/**
 * A new flow id: 32 hex characters, like FlowLLM's `uuid4().hex`.
 *
 * @example
 * newFlowId(); // '3f2a9c0e5b1d4e6f8a7b9c0d1e2f3a4b'
 * /^[0-9a-f]{32}$/.test(newFlowId()); // true
 */
export function newFlowId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '');
}

function linkSignal(
  outer: AbortSignal | undefined,
  controller: AbortController,
  toError: (reason: unknown) => unknown,
): () => void {
  if (!outer) return () => {};
  const abort = () => controller.abort(toError(outer.reason));
  if (outer.aborted) abort();
  outer.addEventListener('abort', abort, { once: true });
  return () => outer.removeEventListener('abort', abort);
}

function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
