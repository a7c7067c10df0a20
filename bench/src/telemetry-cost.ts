import { setImmediate as nextLoop } from 'node:timers/promises';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { spread } from './encoder-cost.js';
import { nodePathRunner } from './micro/node-path-runner.js';
import { machine } from './report.js';

/** How much one run measures. */
export interface TelemetrySizes {
  streams: number;
  tokens: number;
  rounds: number;
  warmRounds: number;
}

export const TELEMETRY_FULL_SIZES: TelemetrySizes = { streams: 50, tokens: 400, rounds: 15, warmRounds: 3 };
export const TELEMETRY_QUICK_SIZES: TelemetrySizes = { streams: 10, tokens: 100, rounds: 3, warmRounds: 1 };

/** One variant's CPU per event, round by round (ns), and its ratio of events/s to the core before. */
export interface TelemetryResult {
  workload: TelemetryWorkload['name'];
  variant: string;
  label: string;
  nsPerEvent: number[];
  perSecondRatio: number[];
}

export interface TelemetryCostRun {
  sizes: TelemetrySizes;
  results: TelemetryResult[];
  /** Spans the SDK variant exported per stream, by workload (a check that it really recorded). */
  spansPerStream: Record<string, number>;
  durationMs: number;
}

type Core = typeof import('@flowllm/core') & typeof import('@flowllm/core/adapter');
type Runner = (streams: number) => Promise<number>;

const TOKEN = 'x'.repeat(10);

/** What a stream's flow does: its own op streaming tokens, or a model call streamed by StreamChatOp. */
export interface TelemetryWorkload {
  name: 'op' | 'model';
  description: string;
}

export const TELEMETRY_WORKLOADS: readonly TelemetryWorkload[] = [
  {
    name: 'op',
    description: 'an op streams one-token events, one per event-loop turn (K=1): flow and op spans only',
  },
  {
    name: 'model',
    description:
      "`StreamChatOp()` streams the built-in `mock` model's answer as fast as it comes (no delay, so bursts " +
      'up to the 64-chunk buffer): a `chat` span per stream, and every model chunk goes through its observer',
  },
];

/** A service on `build` whose flow streams `tokens` tokens as `workload` says. */
async function runnerOf(
  build: string,
  workload: TelemetryWorkload['name'],
  tokens: number,
  telemetry: Record<string, unknown>,
): Promise<Runner> {
  const core = (await import(build)) as Core;
  const adapter = (await import(build.replace(/index\.js$/, 'adapter.js'))) as Core;
  class TickOp extends core.BaseOp {
    async execute(): Promise<void> {
      for (let index = 0; index < tokens; index++) {
        await this.context.addStreamChunkAndType(TOKEN);
        await nextLoop();
        if (this.signal.aborted) return;
      }
    }
  }
  const answer = Array.from({ length: tokens }, () => TOKEN).join(' ');
  const app = core.createFlowApp({
    config: {
      http: { max_streams: 0 },
      flow: { bench: { flow_content: workload === 'op' ? 'TickOp()' : 'StreamChatOp()', stream: true } },
      llm: {
        default: { backend: 'mock', model_name: 'bench', answer, token_delay_ms: 0, first_token_delay_ms: 0 },
      },
      telemetry,
    },
    env: {},
    ops: [TickOp],
  });
  const service = core.createFlowService(app, { logger: { error() {}, warn() {}, info() {} } });
  return nodePathRunner(
    adapter.handleNodeRequest as never,
    service,
    '/bench',
    JSON.stringify({ query: 'x' }),
  );
}

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The SDK an app registers, switched on around the SDK variant's measurements only. */
function sdkSwitch() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [new CollectingReader()] });
  return {
    exporter,
    on(withContextManager: boolean) {
      if (withContextManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
    },
    off() {
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** Measures every variant on every workload. `before` is the dist/index.js of core before telemetry. */
export async function measureTelemetryCost(
  sizes: TelemetrySizes,
  builds: { before: string; current: string },
  log: (line: string) => void = () => {},
): Promise<TelemetryCostRun> {
  const started = performance.now();
  const results: TelemetryResult[] = [];
  const spansPerStream: Record<string, number> = {};
  for (const workload of TELEMETRY_WORKLOADS) {
    const measured = await measureWorkload(workload.name, sizes, builds, (line) =>
      log(`${workload.name}: ${line}`),
    );
    results.push(...measured.results);
    spansPerStream[workload.name] = measured.spansPerStream;
  }
  return { sizes, results, spansPerStream, durationMs: performance.now() - started };
}

async function measureWorkload(
  workload: TelemetryWorkload['name'],
  sizes: TelemetrySizes,
  builds: { before: string; current: string },
  log: (line: string) => void,
): Promise<{ results: TelemetryResult[]; spansPerStream: number }> {
  const sdk = sdkSwitch();
  const runner = (build: string, telemetry: Record<string, unknown> = {}) =>
    runnerOf(build, workload, sizes.tokens, telemetry);
  const variants: { variant: string; label: string; run: Runner; sdk?: 'full' | 'no-context' }[] = [
    { variant: 'before', label: 'core before telemetry', run: await runner(builds.before) },
    { variant: 'no-sdk', label: 'no SDK registered', run: await runner(builds.current) },
    {
      variant: 'timeline',
      label: 'no SDK, `telemetry.timeline: true`',
      run: await runner(builds.current, { timeline: true }),
    },
    {
      variant: 'sdk',
      label: 'SDK: traces (in-memory exporter) + metrics + context manager',
      run: await runner(builds.current),
      sdk: 'full',
    },
    {
      variant: 'sdk-no-cm',
      label: 'SDK without the context manager (what the AsyncLocalStorage costs)',
      run: await runner(builds.current),
      sdk: 'no-context',
    },
  ];
  const ns = new Map<string, number[]>(variants.map(({ variant }) => [variant, []]));
  const bytes = new Set<number>();
  let spansPerStream = 0;
  const events = sizes.streams * (sizes.tokens + 1);
  for (let round = -sizes.warmRounds; round < sizes.rounds; round++) {
    // Rotate the order round by round: no variant always runs first (or right after a GC-heavy one).
    const shift = ((round % variants.length) + variants.length) % variants.length;
    for (const { variant, run, sdk: withSdk } of [...variants.slice(shift), ...variants.slice(0, shift)]) {
      if (withSdk) sdk.on(withSdk === 'full');
      const cpu = process.cpuUsage();
      bytes.add(await run(sizes.streams));
      const used = process.cpuUsage(cpu);
      if (withSdk) {
        sdk.off();
        spansPerStream = sdk.exporter.getFinishedSpans().length / sizes.streams;
        sdk.exporter.reset();
      }
      if (round >= 0) ns.get(variant)?.push(((used.user + used.system) * 1000) / events);
    }
    if (round >= 0) log(`round ${round + 1}/${sizes.rounds}`);
  }
  // Every variant must write the same bytes, or it measured something else.
  if (bytes.size !== 1)
    throw new Error(`${workload}: the variants wrote different byte counts: ${[...bytes]}`);
  const before = ns.get('before') ?? [];
  const results = variants.map(({ variant, label }) => {
    const own = ns.get(variant) ?? [];
    const perSecondRatio = own.map((value, index) => (before[index] ?? Number.NaN) / value);
    return { workload, variant, label, nsPerEvent: own, perSecondRatio };
  });
  return { results, spansPerStream };
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The table for the terminal. */
export function telemetryCostText(run: TelemetryCostRun): string {
  return run.results
    .map((result) => {
      const cpu = spread(result.nsPerEvent);
      const ratio = spread(result.perSecondRatio);
      return `${result.workload.padEnd(6)} ${result.variant.padEnd(9)} ${fixed(cpu.mid, 0).padStart(6)} ns/event (${fixed(cpu.min, 0)}–${fixed(cpu.max, 0)})  events/s × before ${fixed(ratio.mid, 3)} (${fixed(ratio.min, 3)}–${fixed(ratio.max, 3)})`;
    })
    .join('\n');
}

/** The section (markdown, from `## OpenTelemetry cost` on). */
export function telemetryCostMarkdown(
  run: TelemetryCostRun,
  options: { date: Date; command: string; loadAverage: number },
): string {
  const rows = run.results.map((result) => {
    const cpu = spread(result.nsPerEvent);
    const ratio = spread(result.perSecondRatio);
    const perSecond = 1e9 / cpu.mid;
    const ratioText =
      result.variant === 'before'
        ? '1×'
        : `${fixed(ratio.mid, 3)}× (${fixed(ratio.min, 3)}–${fixed(ratio.max, 3)})`;
    return `| ${result.workload} | ${result.label} | ${fixed(cpu.mid, 0)} (${fixed(cpu.min, 0)}–${fixed(cpu.max, 0)}) | ${(perSecond / 1e6).toFixed(2)}M | ${ratioText} |`;
  });
  const noSdk = run.results
    .filter((result) => result.variant === 'no-sdk')
    .map((result) => ({ workload: result.workload, ...spread(result.perSecondRatio) }));
  const met = noSdk.every((ratio) => ratio.mid >= 0.98);
  const medians = noSdk.map((ratio) => `${ratio.workload} ${fixed(ratio.mid, 3)}`).join(', ');
  const spans = Object.entries(run.spansPerStream)
    .map(([workload, count]) => `${fixed(count, 0)} (${workload})`)
    .join(', ');
  const workloads = TELEMETRY_WORKLOADS.map(
    (workload) => `**${workload.name}**: ${workload.description}`,
  ).join('; ');
  const { streams, tokens, rounds, warmRounds } = run.sizes;
  return `## OpenTelemetry cost

What the [telemetry](docs/observability.md) costs a stream, in process and without sockets: the whole
Node path (\`handleNodeRequest\` → the flow → the pump → a response that counts bytes) of \`@flowllm/core\`
built before telemetry (commit a69e8a2) and of this core with no SDK registered, with the in-memory run
timeline on, and with the real SDK recording (\`BasicTracerProvider\` + \`SimpleSpanProcessor\` +
\`InMemorySpanExporter\`, a \`MeterProvider\`, the \`AsyncLocalStorageContextManager\`: what an app's
SDK set-up registers; spans per stream: ${spans}).

- **ns/event**: CPU (\`process.cpuUsage()\`) per event written, ${streams} concurrent streams of ${tokens} one-token
  events and the end.
- **Workloads:** ${workloads}.
- **events/s × before**: rounds interleaved (every variant in each round, the order rotated); each round's
  CPU per event of the core before divided by the variant's. Median over ${rounds} rounds (after ${warmRounds}
  thrown away), range in brackets. **Goal: no SDK ≥ 0.98× — ${met ? 'met' : 'not met'}** (medians: ${medians}).
- **Command:** \`${options.command}\`
- **Date:** ${options.date.toISOString().slice(0, 16).replace('T', ' ')} UTC, run took ${Math.round(run.durationMs / 1000)} s
- **Machine:** ${machine()}
- **Other load:** load average ${fixed(options.loadAverage, 1)} at the end.

| workload | variant | ns/event (range) | events/s per CPU second | events/s × before (range) |
| --- | --- | ---: | ---: | ---: |
${rows.join('\n')}

Why: without an SDK a run costs one no-op span and a meter-provider lookup, and nothing per event (the
per-chunk hook is skipped when no run telemetry exists). With the SDK, most of the cost is the
\`AsyncLocalStorageContextManager\` (compare each workload's last two rows): once enabled, Node's async
hooks follow every promise of the process, flowllm's or not. flowllm's own share is the spans of each run,
a first-token check per chunk and, on the model workload, the observer every model chunk passes through
(one async-generator step).
`;
}
