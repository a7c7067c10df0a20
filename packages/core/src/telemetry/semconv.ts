import { SpanKind } from '@opentelemetry/api';
import corePackage from '../../package.json' with { type: 'json' };

/**
 * The instrumentation scope of flowllm's tracer and meter.
 *
 * @example
 * trace.getTracer(SCOPE_NAME);
 */
export const SCOPE_NAME = 'flowllm';

/**
 * The instrumentation scope's version: @flowllm/core's, taken from its package.json when the package is
 * built (the bundler inlines the one field), so nothing reads a file at run time.
 *
 * @example
 * trace.getTracer(SCOPE_NAME, SCOPE_VERSION);
 */
export const SCOPE_VERSION: string = corePackage.version;

/**
 * The attribute names flowllm puts on spans and metrics: the OpenTelemetry GenAI semantic conventions
 * (status "Development", read at v1.41.0) and flowllm's own `flowllm.*` names for what they do not cover.
 *
 * @example
 * span.setAttribute(GENAI.requestModel, 'qwen-max');
 */
export const GENAI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestStream: 'gen_ai.request.stream',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTopP: 'gen_ai.request.top_p',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  workflowName: 'gen_ai.workflow.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
} as const;

/**
 * flowllm's own attributes: why a run ended, its id, the op a span belongs to, a call to an unknown tool.
 *
 * @example
 * span.setAttribute(FLOWLLM_ATTR.runEndCause, 'client_gone');
 */
export const FLOWLLM_ATTR = {
  runEndCause: 'flowllm.run.end_cause',
  flowId: 'flowllm.flow_id',
  opName: 'flowllm.op.name',
  stream: 'flowllm.run.stream',
  streamEvents: 'flowllm.stream.events',
  toolUnknown: 'flowllm.tool.unknown',
  toolRequestedName: 'flowllm.tool.requested_name',
} as const;

/**
 * Metric names and units. The three `gen_ai.client.*` histograms follow the conventions; the server
 * side figures of a flow are flowllm's own (`gen_ai.server.*` describes a model server's inference,
 * while a flow's first token also waits for its ops and upstream calls).
 *
 * @example
 * meter.createHistogram(METRICS.tokenUsage.name, { unit: METRICS.tokenUsage.unit });
 */
export const METRICS = {
  tokenUsage: { name: 'gen_ai.client.token.usage', unit: '{token}' },
  operationDuration: { name: 'gen_ai.client.operation.duration', unit: 's' },
  timeToFirstChunk: { name: 'gen_ai.client.operation.time_to_first_chunk', unit: 's' },
  timeToFirstByte: { name: 'flowllm.server.time_to_first_byte', unit: 's' },
  timeToFirstToken: { name: 'flowllm.server.time_to_first_token', unit: 's' },
  streamEventRate: { name: 'flowllm.server.stream.event_rate', unit: '{event}/s' },
  openStreams: { name: 'flowllm.server.open_streams', unit: '{stream}' },
  runs: { name: 'flowllm.runs', unit: '{run}' },
  tokensAfterClientGone: { name: 'flowllm.tokens.after_client_gone', unit: '{token}' },
} as const;

/** The conventions' buckets of `gen_ai.client.token.usage`: powers of 4 from 1 to 67,108,864. */
export const TOKEN_BUCKETS: readonly number[] = Array.from({ length: 14 }, (_, index) => 4 ** index);

/** The conventions' buckets of `gen_ai.client.operation.duration` (also used for time to first chunk). */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** The conventions' buckets of `gen_ai.server.time_to_first_token`, used for the server's first byte and token. */
export const FIRST_TOKEN_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Events per second of one stream. */
export const EVENT_RATE_BUCKETS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000,
];

/**
 * `gen_ai.provider.name` of a backend: the conventions' well-known value where there is one
 * (`openai_compatible` speaks OpenAI's API), else the backend's own name.
 *
 * @example
 * providerName('openai_compatible'); // 'openai'
 */
export function providerName(backend: string): string {
  return backend === 'openai_compatible' ? 'openai' : backend;
}

/**
 * The kind of a model call's span, as the GenAI conventions give it: INTERNAL for a model running in
 * the process (the offline `mock` backends), CLIENT for one reached over the network.
 *
 * @example
 * modelSpanKind('openai_compatible'); // SpanKind.CLIENT
 */
export function modelSpanKind(backend: string): SpanKind {
  return IN_PROCESS_BACKENDS.has(backend) ? SpanKind.INTERNAL : SpanKind.CLIENT;
}

const IN_PROCESS_BACKENDS: ReadonlySet<string> = new Set(['mock']);
