/**
 * One entry of a run's timeline, as `GET {mount}/docs/timeline/{flow_id}` serves it: `parent` is the
 * index of the enclosing entry (null for the flow), times are milliseconds from the run's start, and
 * `duration_ms` is null while the entry runs.
 *
 * @example
 * const entry: TimelineSpan = { name: 'chat qwen-max', kind: 'model', parent: 1, start_ms: 2.1, duration_ms: 840, status: 'ok' };
 */
export interface TimelineSpan {
  name: string;
  kind: 'flow' | 'op' | 'model' | 'tool';
  parent: number | null;
  start_ms: number;
  duration_ms: number | null;
  status: 'ok' | 'error' | 'cancelled' | 'running';
}

// A tool loop can run for long: a run keeps at most this many entries (later ones are not recorded).
const MAX_SPANS_PER_RUN = 500;

/**
 * The timeline of one run, recorded from flowllm's own hooks (no OpenTelemetry SDK needed).
 *
 * @example
 * const timeline = new RunTimeline('3f2a…');
 * const op = timeline.open('op StreamChatOp', 'op', 0);
 * timeline.close(op, 'ok');
 */
export class RunTimeline {
  readonly spans: TimelineSpan[] = [];
  private readonly startedAt = performance.now();

  constructor(readonly flowId: string) {}

  /** Starts an entry; returns its index, or -1 once the run holds its limit. */
  open(name: string, kind: TimelineSpan['kind'], parent: number | null): number {
    if (this.spans.length >= MAX_SPANS_PER_RUN) return -1;
    const start = round(performance.now() - this.startedAt);
    this.spans.push({ name, kind, parent, start_ms: start, duration_ms: null, status: 'running' });
    return this.spans.length - 1;
  }

  /** Ends an entry (once; a second end is ignored). */
  close(index: number, status: Exclude<TimelineSpan['status'], 'running'>): void {
    const span = this.spans[index];
    if (span?.status !== 'running') return;
    span.status = status;
    span.duration_ms = round(performance.now() - this.startedAt - span.start_ms);
  }

  toJSON(): { flow_id: string; spans: TimelineSpan[] } {
    return { flow_id: this.flowId, spans: this.spans };
  }
}

/**
 * The last `capacity` runs' timelines, by flow id; the oldest is dropped first.
 *
 * @example
 * const ring = new TimelineRing(200);
 * ring.add(new RunTimeline(flowId));
 * ring.get(flowId)?.toJSON();
 */
export class TimelineRing {
  private readonly runs = new Map<string, RunTimeline>();

  constructor(readonly capacity = 200) {}

  add(timeline: RunTimeline): void {
    this.runs.delete(timeline.flowId);
    this.runs.set(timeline.flowId, timeline);
    if (this.runs.size > this.capacity) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
  }

  get(flowId: string): RunTimeline | undefined {
    return this.runs.get(flowId);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
