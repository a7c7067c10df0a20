import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The ids of the span active now, for a log line (`trace_id`, `span_id`), or an empty object when no
 * SDK records one: logs and traces then join on `trace_id`.
 *
 * @example
 * logger.error('flow failed', { flow_id, ...traceIds() });
 */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
