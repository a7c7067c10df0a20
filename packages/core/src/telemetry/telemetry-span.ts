import {
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { endCauseOf, errorType, type RunEndCause } from './end-cause.js';
import type { RunTelemetry } from './run-telemetry.js';
import { FLOWLLM_ATTR, GENAI } from './semconv.js';
import type { TimelineSpan } from './timeline.js';

/**
 * One step of a run as telemetry sees it — the flow, an op, a model call, a tool call: its
 * OpenTelemetry span (only while an SDK records) and its timeline entry (only with
 * `telemetry.timeline`). Children hang below it explicitly, so parentage holds without a context manager.
 *
 * @example
 * const call = parent.child('chat qwen-max', 'model', SpanKind.CLIENT);
 * call.end(error);
 */
export class TelemetrySpan {
  private ended = false;

  constructor(
    readonly run: RunTelemetry,
    /** The recording OpenTelemetry span, if an SDK records this run. */
    readonly span: Span | undefined,
    /** The OpenTelemetry context holding this span: what code inside the step runs in. */
    readonly otelContext: Context,
    private readonly entry: number,
  ) {}

  /** Starts a step below this one; `attributes` are only read when the run is traced. */
  child(
    name: string,
    kind: TimelineSpan['kind'],
    spanKind: SpanKind,
    attributes?: Attributes,
  ): TelemetrySpan {
    const { run } = this;
    let span: Span | undefined;
    let otelContext = this.otelContext;
    if (run.tracer) {
      span = run.tracer.startSpan(name, { kind: spanKind, attributes }, this.otelContext);
      otelContext = trace.setSpan(otelContext, span);
    }
    const entry = run.timeline ? run.timeline.open(name, kind, this.entry < 0 ? null : this.entry) : -1;
    return new TelemetrySpan(run, span, otelContext, entry);
  }

  /**
   * Ends the step (once): no error is success; an abort (client gone, stopped, shutdown) ends it
   * with `flowllm.run.end_cause` and no error status; a failure or a timeout sets the error status
   * and `error.type`. Never the error's message: it may carry a prompt or a provider's words.
   */
  end(error?: unknown): void {
    const cause = endCauseOf(error);
    const failed = cause === 'error' || cause === 'timeout';
    this.finish(cause, failed ? errorType(error) : undefined);
  }

  /**
   * Ends the step (once) as failed with `error.type` = `type`, for a failure that is an answer rather
   * than a thrown error (an agent's call to a tool it does not have, say).
   */
  fail(type: string): void {
    this.finish('error', type);
  }

  private finish(cause: RunEndCause, failedAs: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (this.span) {
      if (cause !== 'completed') this.span.setAttribute(FLOWLLM_ATTR.runEndCause, cause);
      if (failedAs !== undefined) {
        this.span.setAttribute(GENAI.errorType, failedAs);
        this.span.setStatus({ code: SpanStatusCode.ERROR });
      }
      this.span.end();
    }
    if (this.entry >= 0)
      this.run.timeline?.close(
        this.entry,
        cause === 'completed' ? 'ok' : failedAs !== undefined ? 'error' : 'cancelled',
      );
  }
}
