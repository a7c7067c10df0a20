import { randomUUID } from 'node:crypto';
import {
  type ChunkContent,
  type Flow,
  FlowAbortedError,
  type FlowStream,
  type FlowStreamChunk,
  type ServiceLogger,
} from '@flowllm/core';
import { HttpError, validateFlowInput } from '@flowllm/core/adapter';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { flowErrorReporter, invalidArgumentsText } from './tool-errors.js';

/**
 * Reports one streamed chunk of a running tool: `progress` counts the chunks, `message` is the chunk's
 * text (JSON for a tool call or usage), `chunkType` FlowLLM's chunk type (`answer`, `think`, `tool`…).
 *
 * @example
 * const onChunk: ChunkProgress = (progress, message) => console.error(progress, message);
 */
export type ChunkProgress = (progress: number, message: string, chunkType: string) => Promise<void>;

/**
 * Options of {@link callFlowTool}.
 *
 * @example
 * const options: CallFlowToolOptions = { signal: extra.signal, logger: consoleLogger, exposeErrors: false };
 */
export interface CallFlowToolOptions {
  /**
   * Aborts the flow and its model calls (the MCP request was cancelled, or its session closed).
   * @default none
   */
  signal?: AbortSignal;
  /** Where failures are logged (never stdout for stdio servers). */
  logger: ServiceLogger;
  /** Show every failure's message to the caller; otherwise unexpected errors are masked. */
  exposeErrors: boolean;
  /**
   * Called for each chunk of a stream flow while it runs (the caller asked for progress).
   * @default none: chunks are only collected
   */
  onChunk?: ChunkProgress;
}

/**
 * Calls a flow as an MCP tool: checks `args` against its `input_schema` with the HTTP service's
 * validator (problems come back as a tool error, `isError: true`, naming each argument), runs it, and
 * answers its answer as text — an object also as `structuredContent`. A stream flow's answer is its
 * `answer` chunks joined; each chunk goes to `onChunk` as it arrives. A failure is a tool error with the
 * text clients may see (see {@link flowErrorReporter}).
 *
 * @example
 * const result = await callFlowTool(app.flow('search'), { query: 'mcp' }, { logger: consoleLogger, exposeErrors: false });
 * // { content: [{ type: 'text', text: '…' }] }
 */
export async function callFlowTool(
  flow: Flow,
  args: Record<string, unknown> | undefined,
  options: CallFlowToolOptions,
): Promise<CallToolResult> {
  let input: Record<string, unknown>;
  try {
    input = validateFlowInput(flow.config.input_schema, args ?? {}, 'body');
  } catch (error) {
    if (error instanceof HttpError) return toolError(invalidArgumentsText(flow.name, error));
    throw error;
  }
  const formatError = flowErrorReporter(flow, options);
  // One id for the run and its log lines, in FlowLLM's form (32 hex digits).
  const flowId = randomUUID().replaceAll('-', '');
  const run = { signal: options.signal, abortError: cancelled, formatError, flowId };
  if (flow.isStream) return streamFlowTool(flow.stream(input, run), options);
  try {
    const response = await flow.run(input, run);
    return answerResult(response.answer);
  } catch (error) {
    return toolError(formatError(error, { flowId }));
  }
}

/** Whatever reason the cancel gave (the SDK passes the client's text), the flow was aborted, not failed. */
function cancelled(reason: unknown): FlowAbortedError {
  return new FlowAbortedError(
    `the MCP request was cancelled${typeof reason === 'string' ? `: ${reason}` : ''}`,
  );
}

async function streamFlowTool(stream: FlowStream, options: CallFlowToolOptions): Promise<CallToolResult> {
  let answer = '';
  let answered = false;
  let failure: string | undefined;
  let count = 0;
  for await (const chunk of stream) {
    if (chunk.chunk_type === 'done') continue;
    if (chunk.chunk_type === 'answer') {
      answer += chunkText(chunk);
      answered = true;
    }
    if (chunk.chunk_type === 'error' && chunk.done) failure = chunkText(chunk);
    await options.onChunk?.(++count, chunkText(chunk), chunk.chunk_type);
  }
  // The SDK client settles a result at once but hands progress to `onprogress` a microtask later: when
  // both arrive in one read, the last chunks can miss it. A turn of the event loop lets them go first.
  if (count > 0 && options.onChunk) await new Promise((resolve) => setImmediate(resolve));
  if (failure !== undefined) return toolError(failure);
  // An op may set the answer without streaming it (as a sync flow's does).
  if (!answered && stream.response.answer !== '') return answerResult(stream.response.answer);
  return { content: [{ type: 'text', text: answer }] };
}

function chunkText(chunk: FlowStreamChunk): string {
  return typeof chunk.chunk === 'string' ? chunk.chunk : JSON.stringify(chunk.chunk);
}

/** Text as is; an object or list as JSON text, an object also as `structuredContent`. */
function answerResult(answer: ChunkContent): CallToolResult {
  if (typeof answer === 'string') return { content: [{ type: 'text', text: answer }] };
  const text = JSON.stringify(answer);
  if (Array.isArray(answer)) return { content: [{ type: 'text', text }] };
  return { content: [{ type: 'text', text }], structuredContent: answer as Record<string, unknown> };
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
