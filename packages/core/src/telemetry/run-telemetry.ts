import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { AppTelemetry } from './app-telemetry.js';
import { endCauseOf } from './end-cause.js';
import { currentInstruments, type Instruments } from './instruments.js';
import { FLOWLLM_ATTR, GENAI, SCOPE_NAME, SCOPE_VERSION } from './semconv.js';
import { boundedName } from './steps.js';
import { TelemetrySpan } from './telemetry-span.js';
import { RunTimeline } from './timeline.js';

/** What a run's telemetry starts from. */
export interface RunStart {
  flowName: string;
  flowId: string;
  stream: boolean;
  /** The run's signal: a model call seeing it aborted for a gone client counts what still arrives. */
  signal: AbortSignal;
}

/**
 * The telemetry of one flow run: its `invoke_workflow` span (the parent of every op, model and tool
 * span), the run's metrics and its timeline. Made only when something listens — an SDK that records,
 * a registered meter provider, or `telemetry.timeline` — so a run without costs one check.
 *
 * @example
 * const run = RunTelemetry.start(app.resources.telemetry, { flowName, flowId, stream: true, signal });
 * run?.end(error);
 */
export class RunTelemetry {
  readonly root: TelemetrySpan;
  readonly recordContent: boolean;
  private readonly startedAt = performance.now();
  private readonly metricAttributes: Attributes | undefined;
  private opened = false;
  private sawToken = false;

  private constructor(
    readonly info: RunStart,
    /** Set when an SDK records this run. */
    readonly tracer: Tracer | undefined,
    readonly instruments: Instruments | undefined,
    readonly timeline: RunTimeline | undefined,
    app: AppTelemetry,
    root: { span: Span | undefined; parent: Context },
  ) {
    this.recordContent = app.settings.record_content;
    this.metricAttributes = instruments ? { [GENAI.workflowName]: info.flowName } : undefined;
    const { span, parent } = root;
    span?.setAttributes({
      [GENAI.operationName]: 'invoke_workflow',
      [GENAI.workflowName]: info.flowName,
      [FLOWLLM_ATTR.flowId]: info.flowId,
      [FLOWLLM_ATTR.stream]: info.stream,
    });
    const entry = timeline ? timeline.open(spanName(info.flowName), 'flow', null) : -1;
    this.root = new TelemetrySpan(this, span, span ? trace.setSpan(parent, span) : parent, entry);
    if (info.stream) instruments?.openStreams.add(1, this.metricAttributes);
  }

  /**
   * Telemetry for a run, or undefined when it is off or nothing listens. The run's span is a child of
   * the context active now: the incoming HTTP request's span when the host's instrumentation made one.
   */
  static start(app: AppTelemetry | undefined, info: RunStart): RunTelemetry | undefined {
    if (!app?.settings.enabled) return undefined;
    const parent = context.active();
    const tracer = trace.getTracer(SCOPE_NAME, SCOPE_VERSION);
    const span = tracer.startSpan(spanName(info.flowName), { kind: SpanKind.INTERNAL }, parent);
    // Without an SDK (or when sampled out) the span is a no-op that needs no end.
    const recording = span.isRecording();
    const instruments = currentInstruments();
    const timeline = app.timelines ? new RunTimeline(info.flowId) : undefined;
    if (!recording && !instruments && !timeline) return undefined;
    if (timeline) app.timelines?.add(timeline);
    const root = { span: recording ? span : undefined, parent };
    return new RunTelemetry(info, recording ? tracer : undefined, instruments, timeline, app, root);
  }

  /** Whether the run was aborted because its client left: model chunks arriving now are waste. */
  get clientGone(): boolean {
    const { signal } = this.info;
    return signal.aborted && endCauseOf(signal.reason) === 'client_gone';
  }

  /** The first sign of life of a stream run (a model connected, a first chunk): its time to first byte. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    if (this.info.stream) this.instruments?.timeToFirstByte.record(this.seconds(), this.metricAttributes);
  }

  /** A chunk the run streamed: the first answer or think chunk is its time to first token. */
  chunk(type: string): void {
    if (!this.opened) this.open();
    if (this.sawToken || (type !== 'answer' && type !== 'think')) return;
    this.sawToken = true;
    this.instruments?.timeToFirstToken.record(this.seconds(), this.metricAttributes);
  }

  /** Ends the run: its span with `flowllm.run.end_cause`, `flowllm.runs`, and a stream's figures. */
  end(error: unknown, produced: number): void {
    const cause = endCauseOf(error);
    const instruments = this.instruments;
    if (this.root.span) {
      this.root.span.setAttribute(FLOWLLM_ATTR.runEndCause, cause);
      if (this.info.stream) this.root.span.setAttribute(FLOWLLM_ATTR.streamEvents, produced);
    }
    this.root.end(error);
    if (!instruments) return;
    const attributes = { ...this.metricAttributes, [FLOWLLM_ATTR.runEndCause]: cause };
    instruments.runs.add(1, { ...attributes, [FLOWLLM_ATTR.stream]: this.info.stream });
    // A series that exists (at 0) once a client left, so a chart of it shows the abort works.
    if (cause === 'client_gone') instruments.tokensAfterClientGone.add(0, this.metricAttributes);
    if (!this.info.stream) return;
    instruments.openStreams.add(-1, this.metricAttributes);
    const seconds = this.seconds();
    if (produced > 0 && seconds > 0) instruments.streamEventRate.record(produced / seconds, attributes);
  }

  private seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }
}

function spanName(flowName: string): string {
  return boundedName(`invoke_workflow ${flowName}`);
}
