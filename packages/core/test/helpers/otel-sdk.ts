import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it wants, instead of on a timer. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The real OpenTelemetry SDK, registered globally: spans in memory, metrics collected on demand. */
export interface OtelSdk {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** The one ended span named `name` (fails when there is not exactly one). */
  span(name: string): ReadableSpan;
  /** The data points of a metric, as collected now (cumulative since the SDK started). */
  points(name: string): Promise<DataPoint<number | Histogram>[]>;
  /** Forgets the spans seen so far (metrics stay cumulative). */
  resetSpans(): void;
  shutdown(): Promise<void>;
}

/**
 * Registers a BasicTracerProvider with an in-memory exporter, the AsyncLocalStorage context manager and
 * a MeterProvider, as an app's `sdk.start()` would.
 */
export function registerOtelSdk(): OtelSdk {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  const spans = () => exporter.getFinishedSpans();
  return {
    spans,
    span(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1)
        throw new Error(`expected one span '${name}', found ${found.length}: ${spans().map((s) => s.name)}`);
      return found[0] as ReadableSpan;
    },
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      const all: MetricData[] = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
      const points: DataPoint<number | Histogram>[] = [];
      for (const metric of all)
        if (metric.descriptor.name === name)
          points.push(...(metric.dataPoints as DataPoint<number | Histogram>[]));
      return points;
    },
    resetSpans: () => exporter.reset(),
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The id of a span's parent, whichever SDK version's field carries it. */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
