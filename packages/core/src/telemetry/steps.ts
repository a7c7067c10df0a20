import { SpanKind } from '@opentelemetry/api';
import type { ToolCallChunk } from '../chunk.js';
import type { EmbeddingModel } from '../models/types.js';
import { endCauseOf, errorType } from './end-cause.js';
import { FLOWLLM_ATTR, GENAI, modelSpanKind, providerName } from './semconv.js';
import type { TelemetrySpan } from './telemetry-span.js';

/**
 * The span of one op run, `op {OpClass}` (INTERNAL), with `flowllm.op.name` (the op's configured name).
 *
 * @example
 * const step = startOpSpan(parent, 'StreamChatOp', 'stream_chat_op');
 */
export function startOpSpan(parent: TelemetrySpan, className: string, name: string): TelemetrySpan {
  const traced = parent.run.tracer !== undefined;
  return parent.child(
    boundedName(`op ${className}`),
    'op',
    SpanKind.INTERNAL,
    traced ? { [FLOWLLM_ATTR.opName]: name } : undefined,
  );
}

// Names come from config and, for tools, from the model's reply: telemetry keeps each one short.
const MAX_NAME_CHARS = 128;

/**
 * A span or timeline name (or a name attribute) cut to 128 characters: a model-made or misconfigured
 * name must not swell every span and series.
 *
 * @example
 * boundedName(`chat ${llm.modelName}`);
 */
export function boundedName(name: string): string {
  return name.length <= MAX_NAME_CHARS ? name : `${name.slice(0, MAX_NAME_CHARS - 1)}…`;
}

/**
 * The tool name telemetry shows for a call to a tool the agent does not have: the model wrote that name
 * (of any length, steered by the prompt), so it never names a span, an attribute or a timeline entry.
 *
 * @example
 * const name = tools.has(call.function.name) ? call.function.name : UNKNOWN_TOOL_NAME;
 */
export const UNKNOWN_TOOL_NAME = '_OTHER';

/**
 * The span of one agent tool call, `execute_tool {tool}` (INTERNAL). A call to a tool the agent does not
 * have (`known` false) is `execute_tool _OTHER` with `flowllm.tool.unknown`; the name the model asked
 * for, like the arguments, only with `telemetry.record_content` (and cut to 128 characters).
 *
 * @example
 * const step = startToolSpan(agentSpan, call, tools.has(call.function.name));
 * step.end();
 */
export function startToolSpan(parent: TelemetrySpan, call: ToolCallChunk, known: boolean): TelemetrySpan {
  const name = known ? boundedName(call.function.name) : UNKNOWN_TOOL_NAME;
  const traced = parent.run.tracer !== undefined;
  const step = parent.child(
    boundedName(`execute_tool ${name}`),
    'tool',
    SpanKind.INTERNAL,
    traced
      ? {
          [GENAI.operationName]: 'execute_tool',
          [GENAI.toolName]: name,
          [GENAI.toolCallId]: boundedName(call.id),
          [GENAI.toolType]: 'function',
          ...(known ? {} : { [FLOWLLM_ATTR.toolUnknown]: true }),
        }
      : undefined,
  );
  if (traced && parent.run.recordContent) {
    step.span?.setAttribute(GENAI.toolCallArguments, call.function.arguments);
    if (!known) step.span?.setAttribute(FLOWLLM_ATTR.toolRequestedName, boundedName(call.function.name));
  }
  return step;
}

/**
 * Ends a tool call's span with what the model reads back (only with `telemetry.record_content`).
 *
 * @example
 * endToolSpan(step, content);
 */
export function endToolSpan(step: TelemetrySpan, result: string, error?: unknown): void {
  if (step.run.recordContent && error === undefined) step.span?.setAttribute(GENAI.toolCallResult, result);
  step.end(error);
}

/**
 * The same embedding model, each call recorded below `parent` as `embeddings {model}` (CLIENT; INTERNAL for `mock`) with
 * `gen_ai.client.operation.duration`.
 *
 * @example
 * const model = observeEmbedding(resources.embeddingModel('default'), opSpan);
 */
export function observeEmbedding(model: EmbeddingModel, parent: TelemetrySpan): EmbeddingModel {
  return {
    backend: model.backend,
    modelName: model.modelName,
    dimensions: model.dimensions,
    embed: async (texts, options) => {
      const attributes = {
        [GENAI.operationName]: 'embeddings',
        [GENAI.providerName]: providerName(model.backend),
        [GENAI.requestModel]: model.modelName,
      };
      const step = parent.child(
        boundedName(`embeddings ${model.modelName}`),
        'model',
        modelSpanKind(model.backend),
        attributes,
      );
      const startedAt = performance.now();
      let failure: unknown;
      try {
        return await model.embed(texts, options);
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        step.end(failure);
        const cause = endCauseOf(failure);
        const failed = cause === 'error' || cause === 'timeout';
        parent.run.instruments?.operationDuration.record(
          (performance.now() - startedAt) / 1000,
          failed ? { ...attributes, [GENAI.errorType]: errorType(failure) } : attributes,
        );
      }
    },
  };
}
