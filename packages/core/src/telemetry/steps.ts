import { SpanKind } from '@opentelemetry/api';
import type { ToolCallChunk } from '../chunk.js';
import type { EmbeddingModel } from '../models/types.js';
import { endCauseOf, errorType } from './end-cause.js';
import { FLOWLLM_ATTR, GENAI, providerName } from './semconv.js';
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
    `op ${className}`,
    'op',
    SpanKind.INTERNAL,
    traced ? { [FLOWLLM_ATTR.opName]: name } : undefined,
  );
}

/**
 * The span of one agent tool call, `execute_tool {tool}` (INTERNAL); the arguments only with
 * `telemetry.record_content`.
 *
 * @example
 * const step = startToolSpan(agentSpan, call);
 * step.end();
 */
export function startToolSpan(parent: TelemetrySpan, call: ToolCallChunk): TelemetrySpan {
  const name = call.function.name;
  const traced = parent.run.tracer !== undefined;
  const step = parent.child(
    `execute_tool ${name}`,
    'tool',
    SpanKind.INTERNAL,
    traced
      ? {
          [GENAI.operationName]: 'execute_tool',
          [GENAI.toolName]: name,
          [GENAI.toolCallId]: call.id,
          [GENAI.toolType]: 'function',
        }
      : undefined,
  );
  if (traced && parent.run.recordContent)
    step.span?.setAttribute(GENAI.toolCallArguments, call.function.arguments);
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
 * The same embedding model, each call recorded below `parent` as `embeddings {model}` (CLIENT) with
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
      const step = parent.child(`embeddings ${model.modelName}`, 'model', SpanKind.CLIENT, attributes);
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
