// The wire types are core's own (one source): a type-only import, so the bundle holds none of core and
// the build inlines them into index.d.ts (users of the client need not install @flowllm/core).
import type { ChunkContent, ChunkType, FlowStreamChunk, ToolCallChunk } from '@flowllm/core';

export type { ChunkContent, ChunkType, FlowStreamChunk };

/**
 * A tool call, as a `tool` chunk carries it (core's `ToolCallChunk`): `arguments` is JSON text.
 *
 * @example
 * const call: ToolCall = { index: 0, id: 'call_0', type: 'function', function: { name: 'search', arguments: '{"q":"ai"}' } };
 */
export type ToolCall = ToolCallChunk;

/**
 * What `streamFlow` yields: the whole chunk, plus `type` and `content` as FlowLLM's Python client names them.
 *
 * @example
 * for await (const chunk of client.streamFlow('demo_stream_http_flow', { query: 'hi' })) {
 *   if (chunk.type === 'answer') output.textContent += chunk.content;
 * }
 */
export interface FlowChunk extends FlowStreamChunk {
  /** Same as `chunk_type`. */
  type: ChunkType;
  /** Same as `chunk`. */
  content: ChunkContent;
}

/**
 * The answer of a non-streaming flow.
 *
 * @example
 * const { answer, success, metadata }: FlowResponse = await client.runFlow('demo_http_flow', { query: 'hi' });
 */
export interface FlowResponse {
  answer: ChunkContent;
  success: boolean;
  metadata: Record<string, unknown>;
}

/**
 * A flow the server offers, as `listFlows()` reads it from the OpenAPI document.
 *
 * @example
 * const flows: FlowInfo[] = await client.listFlows(); // [{ name: 'demo_stream_http_flow', stream: true, … }]
 */
export interface FlowInfo {
  name: string;
  /** The path below `baseUrl`, e.g. `/demo_stream_http_flow`. */
  path: string;
  description: string;
  /** True when the flow answers with `text/event-stream` (use `streamFlow`), false for `runFlow`. */
  stream: boolean;
  /** JSON Schema of the request body, when the server publishes one. */
  inputSchema: Record<string, unknown> | undefined;
}

/**
 * The OpenAPI document of a server (`GET /openapi.json`); only `paths` is relied upon.
 *
 * @example
 * const document: OpenApiDocument = await client.openapi();
 * Object.keys(document.paths); // ['/health', '/demo_stream_http_flow', …]
 */
export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * A flow's input: every field becomes a key of the flow context (`query`, `messages`, …).
 *
 * @example
 * const input: FlowInput = { query: 'what is ai', messages: [] };
 */
export type FlowInput = Record<string, unknown>;

/**
 * Per-request options.
 *
 * @example
 * const controller = new AbortController();
 * await client.runFlow('demo_http_flow', { query: 'hi' }, { signal: controller.signal } satisfies RequestOptions);
 */
export interface RequestOptions {
  /**
   * Aborts the request (and a stream being read): the server sees the disconnect and stops the flow.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * Extra headers for this request, over the client's own.
   * @default none
   */
  headers?: HeadersInit;
}

/**
 * A resumable run, as `streamFlow(…, { resume: true, onRun })` reports it: enough to resume it later
 * (after a page reload, say) with `resumeFlow(flow, runId, lastEventId)` or to stop it with `stopFlow`.
 * `lastEventId` is live: inside the `for await` loop it is the id of the event whose chunk was just yielded.
 *
 * @example
 * const run: FlowRun = { flow: 'chat', runId: '3f2a…', lastEventId: '12' };
 */
export interface FlowRun {
  /** The flow the run belongs to (runs are only reachable through it). */
  readonly flow: string;
  /** The run's id: the server's `x-flowllm-run-id` header, which is also the chunks' `flow_id`. */
  readonly runId: string;
  /** The `id:` of the last event read, or undefined before the first. */
  readonly lastEventId: string | undefined;
}

/**
 * How a resumable stream reconnects after a network drop.
 *
 * @example
 * const resume: ResumeOptions = { retries: 8, delayMs: 250 };
 */
export interface ResumeOptions {
  /**
   * Reconnects in a row that may fail before the stream gives up (one that brings events resets the count).
   * @default 5
   */
  retries?: number;
  /**
   * Wait before the first reconnect, in ms; it doubles after each failed one, up to 30 s.
   * @default the server's `retry:` hint, else 1000
   */
  delayMs?: number;
}

/**
 * Options of `streamFlow` and `resumeFlow`: the per-request options, plus resuming.
 *
 * @example
 * const options: StreamOptions = { resume: true, onRun: (run) => sessionStorage.setItem('run', run.runId) };
 */
export interface StreamOptions extends RequestOptions {
  /**
   * Reconnect after a network drop (not after an abort) when the server names the run
   * (`x-flowllm-run-id`, i.e. its `resume` config is on): the stream goes on from the last event read,
   * and yields each chunk once. `true` takes the default {@link ResumeOptions}.
   * @default false for `streamFlow`, true for `resumeFlow`
   */
  resume?: boolean | ResumeOptions;
  /**
   * Called once the run is known (the POST's answer, or at once for `resumeFlow`), with a live
   * {@link FlowRun}. Only called when the server named the run.
   * @default none
   */
  onRun?: (run: FlowRun) => void;
}

/**
 * What `stopFlow` reports: `stopping` for a running run, else the state it already ended in.
 *
 * @example
 * const state: RunStopState | null = await client.stopFlow('chat', runId);
 */
export type RunStopState = 'stopping' | 'finished' | 'stopped' | 'lost';
