// The OpenTelemetry SDK set-up an app owns (flowllm itself depends only on @opentelemetry/api): spans
// and metrics printed to the console, and also sent over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is
// set (e.g. http://localhost:4318 for a local collector, Grafana Alloy or Jaeger).
import { metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';

export interface TelemetryOptions {
  /** Where the OTLP endpoint and the service name come from. @default process.env */
  env?: Record<string, string | undefined>;
  /** How often metrics are exported. @default 60000 */
  metricIntervalMs?: number;
}

/** Registers the tracer and meter providers globally; `shutdown` flushes what is still buffered. */
export function startTelemetry({ env = process.env, metricIntervalMs = 60_000 }: TelemetryOptions = {}) {
  const resource = resourceFromAttributes({
    'service.name': env.OTEL_SERVICE_NAME ?? 'flowllm-observability-example',
  });
  const spanProcessors: SpanProcessor[] = [new SimpleSpanProcessor(new ConsoleSpanExporter())];
  const readers: MetricReader[] = [
    new PeriodicExportingMetricReader({
      exporter: new ConsoleMetricExporter(),
      exportIntervalMillis: metricIntervalMs,
    }),
  ];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    // The exporters read OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) themselves.
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: metricIntervalMs,
      }),
    );
  }
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  // Global tracer provider, the AsyncLocalStorage context manager and the W3C trace-context propagator.
  tracerProvider.register();
  const meterProvider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async shutdown(): Promise<void> {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
