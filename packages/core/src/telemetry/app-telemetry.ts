import { TimelineRing } from './timeline.js';

/**
 * The `telemetry` config section.
 *
 * @example
 * const settings: TelemetrySettings = { enabled: true, record_content: false, timeline: false };
 */
export interface TelemetrySettings {
  /**
   * Instrument runs; without a registered OpenTelemetry SDK this costs next to nothing anyway.
   * @default true
   */
  enabled: boolean;
  /**
   * Put prompts, completions, tool arguments and results on spans (`gen_ai.input.messages`, …).
   * @default false
   */
  record_content: boolean;
  /**
   * Keep the last runs' timelines in memory for `GET {mount}/docs/timeline/{flow_id}`.
   * @default false
   */
  timeline: boolean;
}

/** How many runs' timelines a service keeps. */
export const TIMELINE_RUNS = 200;

/**
 * An app's telemetry: its settings and, with `timeline`, the ring of recent run timelines.
 *
 * @example
 * const telemetry = new AppTelemetry({ enabled: true, record_content: false, timeline: true });
 * telemetry.timelines?.get(flowId);
 */
export class AppTelemetry {
  readonly timelines: TimelineRing | undefined;

  constructor(readonly settings: TelemetrySettings) {
    this.timelines = settings.enabled && settings.timeline ? new TimelineRing(TIMELINE_RUNS) : undefined;
  }
}
