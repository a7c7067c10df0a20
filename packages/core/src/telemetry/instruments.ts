import {
  type Counter,
  createNoopMeter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type UpDownCounter,
} from '@opentelemetry/api';
import {
  DURATION_BUCKETS,
  EVENT_RATE_BUCKETS,
  FIRST_TOKEN_BUCKETS,
  METRICS,
  SCOPE_NAME,
  SCOPE_VERSION,
  TOKEN_BUCKETS,
} from './semconv.js';

/** Every instrument flowllm records to, made once per meter provider. */
export interface Instruments {
  tokenUsage: Histogram;
  operationDuration: Histogram;
  timeToFirstChunk: Histogram;
  timeToFirstByte: Histogram;
  timeToFirstToken: Histogram;
  streamEventRate: Histogram;
  openStreams: UpDownCounter;
  runs: Counter;
  tokensAfterClientGone: Counter;
}

let seenProvider: MeterProvider | undefined;
let seenInstruments: Instruments | undefined;

/**
 * The instruments of the global meter provider, or undefined while none is registered (the API's no-op
 * meter): then nothing is measured at all. The API has no proxy meter, so the provider is looked up
 * per run and the instruments rebuilt only when it changed (an app registers its SDK after importing us).
 *
 * @example
 * currentInstruments()?.runs.add(1, { 'flowllm.run.end_cause': 'completed' });
 */
export function currentInstruments(): Instruments | undefined {
  const provider = metrics.getMeterProvider();
  if (provider !== seenProvider) {
    seenProvider = provider;
    const meter = provider.getMeter(SCOPE_NAME, SCOPE_VERSION);
    seenInstruments = meter === createNoopMeter() ? undefined : makeInstruments(meter);
  }
  return seenInstruments;
}

function makeInstruments(meter: Meter): Instruments {
  const histogram = (
    { name, unit }: { name: string; unit: string },
    description: string,
    buckets: readonly number[],
  ) => meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: [...buckets] } });
  return {
    tokenUsage: histogram(METRICS.tokenUsage, 'Tokens used per model call', TOKEN_BUCKETS),
    operationDuration: histogram(METRICS.operationDuration, 'Duration of model calls', DURATION_BUCKETS),
    timeToFirstChunk: histogram(
      METRICS.timeToFirstChunk,
      'Time from a model request to its first chunk',
      DURATION_BUCKETS,
    ),
    timeToFirstByte: histogram(
      METRICS.timeToFirstByte,
      'Time from a stream run start until its response can start (a model connected or a first chunk)',
      FIRST_TOKEN_BUCKETS,
    ),
    timeToFirstToken: histogram(
      METRICS.timeToFirstToken,
      'Time from a stream run start to its first answer or think chunk',
      FIRST_TOKEN_BUCKETS,
    ),
    streamEventRate: histogram(
      METRICS.streamEventRate,
      'Events per second of each stream run',
      EVENT_RATE_BUCKETS,
    ),
    openStreams: meter.createUpDownCounter(METRICS.openStreams.name, {
      unit: METRICS.openStreams.unit,
      description: 'Stream runs in progress',
    }),
    runs: meter.createCounter(METRICS.runs.name, {
      unit: METRICS.runs.unit,
      description: 'Flow runs ended, by flowllm.run.end_cause',
    }),
    tokensAfterClientGone: meter.createCounter(METRICS.tokensAfterClientGone.name, {
      unit: METRICS.tokensAfterClientGone.unit,
      description: 'Model chunks (about one token each) delivered after the client left',
    }),
  };
}
