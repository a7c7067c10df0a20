// The orchestrator. Every target's server runs at once (idle while not measured); each first sends the
// fixed-token bodies the identical-bytes check compares, then memory is probed on it before any load;
// then the throughput and latency windows go round-robin over the targets, round after round (the
// order rotated by the round), so drifting machine load hits every target alike.
// Each window also measures CPU used by processes outside the run and is retried when that is high.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { FRAME_CHECKS, frameMismatch } from './frames.js';
import { Child, killAll, type Message } from './ipc.js';
import { redisCpuUs, redisInfo } from './redis-probe.js';
import { BENCH_PATH, DEFAULT_TARGETS, REDIS_URL_ENV, type TargetInfo, targetByName } from './targets.js';

/**
 * One throughput regime: C concurrent streams, K tokens handed over per tick, chunks of `size` characters.
 * Every round measures each workload on its targets, interleaved, so a ratio to the floor compares
 * windows taken moments apart.
 */
export interface Workload {
  /** Short id for tables and JSON, e.g. `c50-k1`. */
  id: string;
  conns: number;
  k: number;
  /** Chunk text padded to this many characters (0 = the time stamp only, about 14 characters). */
  size: number;
  /** The targets measured on it (those in the run); undefined = every target of the run. */
  targets?: readonly string[];
}

/** Targets of the secondary workloads: both floors, the Node path and the adapters the issue names. */
const CORE_TARGETS = ['raw-batched', 'raw', 'ours-node', 'ours-express', 'ours-fastify'];
const ADAPTER_TARGETS = [...CORE_TARGETS, 'ours-koa', 'ours-h3', 'ours-fetch'];
/** Each framework's own baseline (the floor's frames from a plain handler): what K=8 costs it alone. */
const BASE_TARGETS = ['base-express', 'base-koa', 'base-fastify', 'base-h3', 'base-hono'];

/** The full run's workloads; the first is the headline (K = 1: one token per upstream read). */
export const FULL_WORKLOADS: readonly Workload[] = [
  { id: 'c50-k1', conns: 50, k: 1, size: 0 },
  { id: 'c50-k8', conns: 50, k: 8, size: 0, targets: [...ADAPTER_TARGETS, ...BASE_TARGETS] },
  { id: 'c50-k64', conns: 50, k: 64, size: 0, targets: CORE_TARGETS },
  { id: 'c500-k1', conns: 500, k: 1, size: 0, targets: CORE_TARGETS },
  { id: 'c500-k8', conns: 500, k: 8, size: 0, targets: CORE_TARGETS },
  { id: 'c2000-k1', conns: 2000, k: 1, size: 0, targets: CORE_TARGETS },
  { id: 'c50-k8-1kb', conns: 50, k: 8, size: 1024, targets: CORE_TARGETS },
  { id: 'c50-k8-16kb', conns: 50, k: 8, size: 16 * 1024, targets: CORE_TARGETS },
];

export interface BenchSizes {
  /** Throughput: the headline workload's concurrent connections (= workloads[0].conns) and tokens per stream. */
  conns: number;
  tokens: number;
  /** Throughput regimes, headline first (older saved runs have none: then one of `conns` at K = 64). */
  workloads?: readonly Workload[];
  /** Throughput: load before each measured window (and the warm-up per target), and the window. */
  warmMs: number;
  windowMs: number;
  /** Rounds of the throughput and latency windows, and memory samples (the median is reported). */
  reps: number;
  /** Time to first byte: sequential requests (the first fifth are dropped as warm-up). */
  ttfbCount: number;
  /** Latency: paced streams × one token every `latencyIv` ms = the aggregate rate. */
  latencyStreams: number;
  latencyIv: number;
  latencyWarmMs: number;
  latencyWindowMs: number;
  /** Memory: idle streams held open at once. */
  idleStreams: number;
  /** Disconnect → abort: sequential trials, each leaving after `leaveAfter` tokens. */
  disconnectTrials: number;
  leaveAfter: number;
  /** A window is measured again (at most twice) when other processes used more CPU than this, in cores. */
  maxForeignCores: number;
  /** How long, in all, the run may wait for other processes to calm down before a window. */
  quietBudgetMs: number;
}

export const FULL_SIZES: BenchSizes = {
  conns: 50,
  tokens: 256,
  workloads: FULL_WORKLOADS,
  warmMs: 300,
  windowMs: 800,
  reps: 3,
  ttfbCount: 150,
  latencyStreams: 100,
  latencyIv: 5,
  latencyWarmMs: 300,
  latencyWindowMs: 800,
  idleStreams: 1500,
  disconnectTrials: 10,
  leaveAfter: 3,
  maxForeignCores: 0.15,
  // Most retries on a quiet machine are systemic (the 16 KB row's own kernel work): 30 s keeps the full
  // run under 10 minutes.
  quietBudgetMs: 30_000,
};

export const SMOKE_SIZES: BenchSizes = {
  conns: 4,
  tokens: 20,
  workloads: [
    { id: 'c4-k1', conns: 4, k: 1, size: 0 },
    { id: 'c4-k8-16kb', conns: 4, k: 8, size: 16 * 1024, targets: ['raw-batched', 'ours-node'] },
  ],
  warmMs: 150,
  // Windows long enough to see traffic when the rest of the test suite loads the machine.
  windowMs: 600,
  reps: 1,
  ttfbCount: 20,
  latencyStreams: 10,
  latencyIv: 5,
  latencyWarmMs: 150,
  latencyWindowMs: 800,
  idleStreams: 100,
  disconnectTrials: 3,
  leaveAfter: 2,
  maxForeignCores: Number.POSITIVE_INFINITY,
  quietBudgetMs: 0,
};

/**
 * `bench:quick`: every target of the full run on the workloads with goals (not C = 2,000), short windows,
 * 2 rounds, few idle streams, no disconnect phase (main.ts): about two minutes on 2 cores, for
 * development; rough numbers.
 */
export const QUICK_SIZES: BenchSizes = {
  ...FULL_SIZES,
  // The workloads the goals are judged on, but C = 2,000 (its 2,000 sockets take a while to open).
  workloads: FULL_WORKLOADS.filter((workload) =>
    ['c50-k1', 'c50-k8', 'c500-k1', 'c50-k8-16kb'].includes(workload.id),
  ),
  warmMs: 80,
  windowMs: 250,
  reps: 2,
  ttfbCount: 40,
  latencyWarmMs: 100,
  latencyWindowMs: 250,
  idleStreams: 200,
  disconnectTrials: 3,
  // No waiting for a calm machine (each wait probes for 200 ms); busy windows are still marked.
  quietBudgetMs: 0,
};

/** The workloads of a run: `sizes.workloads`, or the one `conns` × K = 64 of runs saved before them. */
export function workloadsOf(sizes: BenchSizes): readonly Workload[] {
  return sizes.workloads ?? [{ id: `c${sizes.conns}`, conns: sizes.conns, k: 64, size: 0 }];
}

export type Phase = 'memory' | 'frames' | 'ttfb' | 'throughput' | 'latency' | 'disconnect';
export const PHASES: readonly Phase[] = ['memory', 'frames', 'ttfb', 'throughput', 'latency', 'disconnect'];

/** One target on one workload: each round's figures (NaN where a round has none). */
export interface WorkloadResult {
  id: string;
  /** Server CPU per frame delivered, µs. */
  cpuReps: number[];
  /** Capacity as a multiple of the floor's: the floor's CPU per frame ÷ this target's, in the same round. */
  ratioReps: number[];
  /** The same against the naive raw server. */
  naiveRatioReps: number[];
  eventsPerSecReps: number[];
  /** CPU use during the window, in cores (1 = one core): ≥ 0.8 for the client means client-bound. */
  serverCoresReps: number[];
  clientCoresReps: number[];
  foreignReps: number[];
}

export interface TargetResult {
  target: TargetInfo;
  /** Per workload (those it ran on), in the run's workload order; the headline figures below are the first's. */
  workloads?: WorkloadResult[];
  /** Median events/s over the repetitions, and each repetition's. */
  eventsPerSec: number;
  eventsPerSecReps: number[];
  /** Server CPU seconds per million chunks delivered (= µs per chunk), and each repetition's. */
  cpuPerMillion: number;
  cpuPerMillionReps?: number[];
  /**
   * `resume: 'redis'` targets: the redis-server's CPU per chunk delivered in the same windows (µs), median
   * and each repetition's; NaN for the others.
   */
  redisCpuPerMillion?: number;
  redisCpuPerMillionReps?: number[];
  /**
   * Server CPU per chunk during the paced latency windows (one token every `latencyIv` ms per stream, as
   * an LLM sends them, rather than the instant model's bursts), µs, per repetition; and redis-server's.
   */
  pacedCpuReps?: number[];
  pacedRedisCpuReps?: number[];
  /** Server and client CPU use during the windows (1 = one core), medians. */
  serverCores: number;
  clientCores: number;
  /** Time to first byte, sequential unloaded requests, µs. */
  ttfbP50: number;
  ttfbP99: number;
  /** Per-chunk model → client latency at the paced aggregate rate, µs (median over reps). */
  latencyP50: number;
  latencyP99: number;
  latencyRate: number;
  /** Each repetition's latency p50 and p99, µs. */
  latencyP50Reps?: number[];
  latencyP99Reps?: number[];
  /** Each round's p99 minus the floor's p99 in the same round, µs. */
  latencyP99DiffReps?: number[];
  /** The server's V8 heap in use after full GCs, before its last latency window (after the throughput load), bytes. */
  heapAfterLoad?: number;
  /** CPU other processes used during this target's kept windows (median, cores). */
  throughputForeign: number;
  latencyForeign: number;
  /** Memory per idle open stream, bytes (RSS, and V8 heap + external). */
  rssPerStream: number;
  heapPerStream: number;
  /** Each memory sample's (a round of idle streams opened and released on the same server). */
  rssPerStreamReps?: number[];
  heapPerStreamReps?: number[];
  idleOpened: number;
  /** Client disconnect → model stopped, ms: median and worst trial; NaN when some never stopped. */
  abortP50: number;
  abortMax: number;
  abortMissing: number;
  /** Streams that failed in any phase, and why. */
  failures: number;
  reasons: string[];
}

export interface RunInfo {
  results: TargetResult[];
  /** The largest CPU share other processes took during a kept window, in cores. */
  maxForeignCores: number;
  /** Windows measured again because other processes were busy. */
  retriedWindows: number;
  /** Time spent waiting for other processes to calm down. */
  quietWaitMs: number;
  /**
   * The identical-bytes check (`frames` phase): bodies compared (targets × workloads) and what differed.
   * Absent in runs saved before it.
   */
  frames?: { compared: number; mismatches: string[] };
  durationMs: number;
  /** When a `resume: 'redis'` target ran: the redis-server's version and memory in use at the end, bytes. */
  redis?: { version: string; usedMemory: number };
}

export interface BenchOptions {
  sizes: BenchSizes;
  targets?: string[];
  phases?: readonly Phase[];
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
  /**
   * Directory for CPU profiles of the servers, one per throughput window (exactly the measured
   * window: `<target>.<workload>.<round>.cpuprofile`, with `<same>.json` holding its frame count).
   */
  cpuProfDir?: string;
}

/** A window whose client used at least this many cores measured the client as much as the server. */
export const CLIENT_BOUND_CORES = 0.8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values: number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const cpuUs = (cpu: unknown) => {
  const usage = cpu as NodeJS.CpuUsage;
  return usage.user + usage.system;
};

/** CPU time the whole machine spent busy, in µs (from /proc/stat; NaN elsewhere). */
function machineBusyUs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // Not irq and softirq: on loopback they are mostly our own traffic's packets, which no process is
    // charged for (with 16 KB chunks they made nearly every window look busy and measured it again).
    const [user = 0, nice = 0, system = 0, , , , , steal = 0] = fields;
    return (user + nice + system + steal) * 10_000; // USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

interface Running {
  target: TargetInfo;
  server: Child;
  address: { port: number; path: string };
}

async function startServer(
  target: TargetInfo,
  fileLimit: number,
  options: { redis?: RunningRedis } = {},
): Promise<Running> {
  const { redis } = options;
  const env = target.resume === 'redis' && redis ? { [REDIS_URL_ENV]: redis.url } : undefined;
  // BENCH_NODE_ARGS: more flags for every target's server (e.g. `--max-semi-space-size=32` to see what
  // young-generation GC costs a target); never set in a published run.
  const nodeArgs = [
    '--expose-gc',
    ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  // Another build may be rewriting a workspace package's dist/ right now: wait for it, a bounded while.
  for (let attempt = 1; ; attempt++) {
    const server = new Child('server.ts', [target.name], { fileLimit, nodeArgs, env });
    try {
      const ready = await server.once('ready', 60_000);
      return { target, server, address: { port: Number(ready.port), path: BENCH_PATH } };
    } catch (error) {
      await server.stop();
      if (attempt >= 20 || !String(error).includes('ERR_MODULE_NOT_FOUND')) throw error;
      await sleep(3000);
    }
  }
}

/** Per-target accumulators. */
class Tally {
  /** Per workload id, per round (index = round). */
  windows = new Map<string, WindowFigures[]>();
  eventsPerSec: number[] = [];
  cpu: number[] = [];
  redisCpu: number[] = [];
  pacedCpu: number[] = [];
  pacedRedisCpu: number[] = [];
  heapAfterLoad = Number.NaN;
  serverCores: number[] = [];
  clientCores: number[] = [];
  latencies: Message[] = [];
  throughputForeign: number[] = [];
  latencyForeign: number[] = [];
  ttfb: number[] = [];
  rssPerStream: number[] = [];
  heapPerStream: number[] = [];
  idleOpened = 0;
  abortDelays: number[] = [];
  abortMissing = 0;
  failures = 0;
  reasons = new Set<string>();

  note(reply: Message): void {
    this.failures += Number(reply.failed ?? 0);
    for (const reason of (reply.reasons as string[] | undefined) ?? []) this.reasons.add(reason);
  }
}

/** One throughput window's figures. */
interface WindowFigures {
  cpu: number;
  eventsPerSec: number;
  serverCores: number;
  clientCores: number;
  foreign: number;
}

/** Target order for a round: rotated by the round, so no target always follows the same neighbour. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Runs the benchmark and returns each target's figures. */
export async function runBench(options: BenchOptions): Promise<RunInfo> {
  const startedAt = performance.now();
  const { sizes } = options;
  const targets = (options.targets ?? DEFAULT_TARGETS).map(targetByName);
  const phases = new Set(options.phases ?? PHASES);
  const log =
    options.log ??
    ((line: string) =>
      process.stderr.write(
        `[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
      ));
  const workloads = workloadsOf(sizes);
  /** Tokens per stream: fewer for big chunks, so a stream (which a window's end waits for) stays short. */
  const tokensFor = (workload: Workload) =>
    workload.size >= 4096 ? Math.max(8, Math.round(sizes.tokens / 4)) : sizes.tokens;
  const fileLimit = Math.max(sizes.idleStreams, ...workloads.map((workload) => workload.conns)) + 1024;
  const tallies = new Map(targets.map((target) => [target.name, new Tally()]));
  const tally = (target: TargetInfo) => tallies.get(target.name)!;
  let maxForeign = 0;
  let retried = 0;
  const frames = { compared: 0, mismatches: [] as string[] };
  const client = new Child('client.ts', [], { fileLimit });
  const running: Running[] = [];
  // The resume targets on Redis share one redis-server, on a free loopback port, for the whole run.
  let redis: RunningRedis | undefined;
  let redisVersion = '';
  /** The redis-server's CPU so far (µs; 0 without one): counted as the run's own, not as other load. */
  const redisUs = async () => (redis ? redisCpuUs(redis.port) : 0);
  /** The server's CPU, the client's event mark and Redis's CPU, read together at a window's edge. */
  const counters = (server: Child, client: Child) =>
    Promise.all([server.call({ type: 'cpu' }), client.call({ type: 'mark' }), redisUs()]);

  let quietBudget = sizes.quietBudgetMs;
  /** Waits (within the run's budget) until processes outside the run leave the machine nearly idle. */
  const quiet = async () => {
    while (quietBudget > 0) {
      const busy1 = machineBusyUs();
      const started = performance.now();
      await sleep(200);
      const elapsed = performance.now() - started;
      const foreign = (machineBusyUs() - busy1) / (elapsed * 1000);
      if (Number.isNaN(foreign) || foreign <= sizes.maxForeignCores) return;
      quietBudget -= elapsed;
    }
  };
  /** Measures one window; retries (twice at most) when other processes took too much CPU. */
  const measured = async <T>(
    what: string,
    measure: () => Promise<{ value: T; elapsedUs: number; ourUs: number; busyUs: number }>,
  ) => {
    let last: { value: T; foreign: number } | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      await quiet();
      const { value, elapsedUs, ourUs, busyUs } = await measure();
      const foreign = Number.isNaN(busyUs) ? 0 : Math.max(0, (busyUs - ourUs) / elapsedUs);
      last = { value, foreign };
      // Measure again only while the run may still wait for a calmer machine (bounded run time).
      if (foreign <= sizes.maxForeignCores || quietBudget <= 0) break;
      if (attempt < 2) {
        retried++;
        log(`    ${what}: other processes used ${foreign.toFixed(2)} cores; measuring again`);
        await sleep(1000);
        quietBudget -= 1000;
      }
    }
    maxForeign = Math.max(maxForeign, last!.foreign);
    return last!;
  };

  try {
    if (targets.some((target) => target.resume === 'redis')) {
      redis = await startRedis();
      redisVersion = (await redisInfo(redis.port, 'server')).redis_version ?? '?';
      log(`redis-server ${redisVersion} on ${redis.url}`);
    }
    await client.once('ready', 60_000);

    if (phases.size === 0) return await finish();

    log('starting every target');
    // Four at a time: a server's start is mostly loading and compiling modules, which overlaps well.
    for (let first = 0; first < targets.length; first += 4) {
      const batch = targets.slice(first, first + 4);
      const started = await Promise.allSettled(
        batch.map((target) => startServer(target, fileLimit, { redis })),
      );
      for (const outcome of started) if (outcome.status === 'fulfilled') running.push(outcome.value);
      const failed = started.find((outcome) => outcome.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    for (const entry of running) {
      const { target } = entry;
      // Same workload, same bytes: checked before the target is measured at all.
      if (phases.has('frames')) {
        for (const check of FRAME_CHECKS) {
          const reply = await client.call({ type: 'capture', ...entry.address, ...check });
          const problem = reply.ok
            ? frameMismatch(target, check, String(reply.body))
            : `n=${check.n} K=${check.k} size=${check.size}: ${reply.error}`;
          frames.compared++;
          if (problem) {
            frames.mismatches.push(`${target.name}: ${problem}`);
            tally(target).failures++;
            tally(target).reasons.add(`frames: ${problem}`);
            log(`  ${target.name}: FRAMES DIFFER: ${problem}`);
          }
        }
      }
    }

    if (phases.has('memory')) {
      log('memory: idle streams on each server, before any load');
      for (const { target, server, address } of running) {
        const t = tally(target);
        t.note(await client.call({ type: 'idle-open', ...address, count: 20 }));
        await client.call({ type: 'idle-release' });
        // Several samples on the same server: open, measure, release; the spread is printed.
        for (let rep = 0; rep < sizes.reps; rep++) {
          await sleep(200);
          const before = (await server.call({ type: 'mem' })).mem as NodeJS.MemoryUsage;
          const opened = await client.call({ type: 'idle-open', ...address, count: sizes.idleStreams });
          t.note(opened);
          t.idleOpened = Number(opened.opened);
          const after = (await server.call({ type: 'mem' })).mem as NodeJS.MemoryUsage;
          if (t.idleOpened > 0) {
            t.rssPerStream.push((after.rss - before.rss) / t.idleOpened);
            t.heapPerStream.push(
              (after.heapUsed + after.external - before.heapUsed - before.external) / t.idleOpened,
            );
          }
          await client.call({ type: 'idle-release' });
        }
        log(
          `  ${target.name}: ${(median(t.rssPerStream) / 1024).toFixed(1)} KB RSS, ` +
            `${(median(t.heapPerStream) / 1024).toFixed(1)} KB heap+external per stream (${t.idleOpened} open)`,
        );
      }
    }

    if (phases.has('throughput') || phases.has('latency')) {
      log('warming every target up');
      for (const { target, address } of running) {
        const headline = workloads[0]!;
        await client.call({ type: 'load-start', ...address, ...headline, n: tokensFor(headline) });
        await sleep(sizes.warmMs * 2);
        tally(target).note(await client.call({ type: 'load-stop' }));
      }
    }

    if (phases.has('ttfb')) {
      log('time to first byte: sequential requests');
      for (const { target, address } of running) {
        const reply = await client.call({ type: 'ttfb', ...address, count: sizes.ttfbCount, n: 1 });
        tally(target).note(reply);
        tally(target).ttfb = (reply.samples as number[])
          .slice(Math.floor(sizes.ttfbCount / 5))
          .sort((a, b) => a - b);
      }
    }

    if (phases.has('throughput')) {
      for (let rep = 1; rep <= sizes.reps; rep++) {
        for (const workload of workloads) {
          const on = rotated(
            running.filter(({ target }) => !workload.targets || workload.targets.includes(target.name)),
            rep - 1,
          );
          if (on.length === 0) continue;
          log(
            `throughput ${rep}/${sizes.reps} ${workload.id}: C=${workload.conns}, K=${workload.k}, ` +
              `chunk ${workload.size || 'stamp'}, ${sizes.tokens}-token streams`,
          );
          for (const entry of on) await throughputWindow(entry, workload, rep - 1);
        }
      }
    }
    async function throughputWindow({ target, server, address }: Running, workload: Workload, round: number) {
      const t = tally(target);
      const { value: window, foreign } = await measured(`${target.name} ${workload.id}`, async () => {
        await client.call({ type: 'load-start', ...address, ...workload, n: sizes.tokens });
        await sleep(sizes.warmMs);
        const busy1 = machineBusyUs();
        const self1 = cpuUs(process.cpuUsage());
        const profile = options.cpuProfDir && {
          dir: options.cpuProfDir,
          name: `${target.name}.${workload.id}.${round}`,
        };
        if (profile) await server.call({ type: 'profile-start' });
        const [s1, c1, r1] = await counters(server, client);
        await sleep(sizes.windowMs);
        const [s2, c2, r2] = await counters(server, client);
        if (profile) await server.call({ type: 'profile-stop', ...profile });
        const busy2 = machineBusyUs();
        const self2 = cpuUs(process.cpuUsage());
        const stopped = await client.call({ type: 'load-stop' });
        const events = Number(c2.events) - Number(c1.events);
        if (profile)
          writeFileSync(
            join(profile.dir, `${profile.name}.json`),
            JSON.stringify({
              events,
              serverUs: cpuUs(s2.cpu) - cpuUs(s1.cpu),
              socketWrites: Number(s2.socketWrites) - Number(s1.socketWrites),
            }),
          );
        const elapsedUs = Number(c2.atUs) - Number(c1.atUs);
        const serverUs = cpuUs(s2.cpu) - cpuUs(s1.cpu);
        const clientUs = cpuUs(c2.cpu) - cpuUs(c1.cpu);
        const redisCpu = r2 - r1;
        return {
          value: { stopped, events, elapsedUs, serverUs, clientUs, redisCpu },
          elapsedUs,
          ourUs: serverUs + clientUs + redisCpu + (self2 - self1),
          busyUs: busy2 - busy1,
        };
      });
      t.note(window.stopped);
      const figures: WindowFigures = {
        cpu: window.events > 0 ? window.serverUs / window.events : Number.NaN,
        eventsPerSec: (window.events / window.elapsedUs) * 1e6,
        serverCores: window.serverUs / window.elapsedUs,
        clientCores: window.clientUs / window.elapsedUs,
        foreign,
      };
      const rounds = t.windows.get(workload.id) ?? [];
      rounds[round] = figures;
      t.windows.set(workload.id, rounds);
      // The headline workload also fills the single-workload fields (resume cost, older reports).
      if (workload === workloads[0]) {
        t.throughputForeign.push(foreign);
        t.eventsPerSec.push(figures.eventsPerSec);
        t.cpu.push(figures.cpu);
        if (target.resume === 'redis')
          t.redisCpu.push(window.events > 0 ? window.redisCpu / window.events : Number.NaN);
        t.serverCores.push(figures.serverCores);
        t.clientCores.push(figures.clientCores);
      }
      log(
        `  ${target.name}: ${Math.round(figures.eventsPerSec)} events/s, ` +
          `${figures.cpu.toFixed(2)} µs CPU/frame, server ${figures.serverCores.toFixed(2)} cores, ` +
          `client ${figures.clientCores.toFixed(2)}${figures.clientCores >= CLIENT_BOUND_CORES ? ' (client-bound)' : ''}`,
      );
    }

    if (phases.has('latency')) {
      const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
      for (let rep = 1; rep <= sizes.reps; rep++) {
        log(`latency ${rep}/${sizes.reps}: ${sizes.latencyStreams} streams, ${rate} chunks/s aggregate`);
        for (const { target, server, address } of rotated(running, rep - 1)) {
          const t = tally(target);
          // Start each latency window from a collected heap, for every target alike: a major GC of the
          // garbage the throughput windows left would otherwise land in some windows and not others.
          const settled = (await server.call({ type: 'mem' })).mem as NodeJS.MemoryUsage;
          t.heapAfterLoad = settled.heapUsed;
          const { value: reply, foreign } = await measured(`${target.name} latency`, async () => {
            const busy1 = machineBusyUs();
            const self1 = cpuUs(process.cpuUsage());
            const [s1, c1, r1] = await counters(server, client);
            const value = await client.call({
              type: 'latency',
              ...address,
              streams: sizes.latencyStreams,
              iv: sizes.latencyIv,
              warmMs: sizes.latencyWarmMs,
              windowMs: sizes.latencyWindowMs,
            });
            const [s2, c2, r2] = await counters(server, client);
            const busy2 = machineBusyUs();
            const self2 = cpuUs(process.cpuUsage());
            const events = Number(c2.events) - Number(c1.events);
            const paced = {
              server: events > 0 ? (cpuUs(s2.cpu) - cpuUs(s1.cpu)) / events : Number.NaN,
              redis: events > 0 ? (r2 - r1) / events : Number.NaN,
            };
            return {
              value: { ...value, paced } as Message,
              elapsedUs: Number(c2.atUs) - Number(c1.atUs),
              ourUs:
                cpuUs(s2.cpu) - cpuUs(s1.cpu) + cpuUs(c2.cpu) - cpuUs(c1.cpu) + (r2 - r1) + (self2 - self1),
              busyUs: busy2 - busy1,
            };
          });
          t.note(reply);
          t.latencies.push(reply);
          const paced = reply.paced as { server: number; redis: number };
          t.pacedCpu.push(paced.server);
          if (target.resume === 'redis') t.pacedRedisCpu.push(paced.redis);
          t.latencyForeign.push(foreign);
          log(
            `  ${target.name}: p50 ${(Number(reply.p50) / 1000).toFixed(2)} ms, ` +
              `p99 ${(Number(reply.p99) / 1000).toFixed(2)} ms at ${Math.round(Number(reply.rate))} chunks/s`,
          );
        }
      }
    }

    if (phases.has('disconnect')) {
      log('disconnect → upstream abort');
      for (const entry of running) {
        const { target, server, address } = entry;
        const t = tally(target);
        const stops = new Map<string, number>();
        server.on('stop', (message) => stops.set(String(message.id), Number(message.atUs)));
        const reply = await client.call({
          type: 'disconnect',
          ...address,
          trials: sizes.disconnectTrials,
          iv: 5,
          n: 2000,
          after: sizes.leaveAfter,
          gapMs: 60,
        });
        t.note(reply);
        await sleep(300);
        const trials = reply.trials as { id: string; leftAtUs: number }[];
        for (const trial of trials) {
          const stoppedAt = stops.get(trial.id);
          if (stoppedAt === undefined) t.abortMissing++;
          else t.abortDelays.push((stoppedAt - trial.leftAtUs) / 1000);
        }
        // Models a target never stopped would keep running: end this server now.
        await server.stop();
        log(
          `  ${target.name}: ${t.abortMissing ? `${t.abortMissing} of ${trials.length} never stopped` : `max ${Math.max(...t.abortDelays).toFixed(2)} ms`}`,
        );
      }
    }
    return await finish();
  } finally {
    for (const { server } of running) await server.stop();
    await client.stop();
    killAll();
    await redis?.stop();
  }

  async function finish(): Promise<RunInfo> {
    const floorTally = targets.find((target) => target.kind === 'floor');
    const naiveTally = targets.find((target) => target.kind === 'naive');
    /** Each round's ratio of a reference's CPU per frame to this one's (capacity as a multiple of it). */
    const ratios = (reference: TargetInfo | undefined, id: string, mine: WindowFigures[]) => {
      const theirs = reference ? (tally(reference).windows.get(id) ?? []) : [];
      return Array.from({ length: sizes.reps }, (_, i) =>
        theirs[i] && mine[i] ? theirs[i]!.cpu / mine[i]!.cpu : Number.NaN,
      );
    };
    const floorP99 = floorTally ? tally(floorTally).latencies.map((l) => Number(l.p99)) : [];
    const results = targets.map((target): TargetResult => {
      const t = tally(target);
      const perWorkload = workloads
        .filter((workload) => t.windows.has(workload.id))
        .map((workload): WorkloadResult => {
          const mine = t.windows.get(workload.id)!;
          const each = (pick: (figures: WindowFigures) => number) =>
            Array.from({ length: sizes.reps }, (_, i) => (mine[i] ? pick(mine[i]!) : Number.NaN));
          return {
            id: workload.id,
            cpuReps: each((figures) => figures.cpu),
            ratioReps: ratios(floorTally, workload.id, mine),
            naiveRatioReps: ratios(naiveTally, workload.id, mine),
            eventsPerSecReps: each((figures) => figures.eventsPerSec),
            serverCoresReps: each((figures) => figures.serverCores),
            clientCoresReps: each((figures) => figures.clientCores),
            foreignReps: each((figures) => figures.foreign),
          };
        });
      const delays = [...t.abortDelays].sort((a, b) => a - b);
      const never = t.abortMissing > 0;
      return {
        target,
        workloads: perWorkload,
        eventsPerSec: median(t.eventsPerSec),
        eventsPerSecReps: t.eventsPerSec,
        cpuPerMillion: median(t.cpu),
        cpuPerMillionReps: t.cpu,
        redisCpuPerMillion: median(t.redisCpu),
        redisCpuPerMillionReps: t.redisCpu,
        pacedCpuReps: t.pacedCpu,
        pacedRedisCpuReps: t.pacedRedisCpu,
        serverCores: median(t.serverCores),
        clientCores: median(t.clientCores),
        ttfbP50: percentile(t.ttfb, 50),
        ttfbP99: percentile(t.ttfb, 99),
        latencyP50: median(t.latencies.map((l) => Number(l.p50))),
        latencyP99: median(t.latencies.map((l) => Number(l.p99))),
        latencyRate: median(t.latencies.map((l) => Number(l.rate))),
        latencyP50Reps: t.latencies.map((l) => Number(l.p50)),
        latencyP99Reps: t.latencies.map((l) => Number(l.p99)),
        latencyP99DiffReps: t.latencies.map((l, i) => Number(l.p99) - (floorP99[i] ?? Number.NaN)),
        heapAfterLoad: t.heapAfterLoad,
        throughputForeign: median(t.throughputForeign),
        latencyForeign: median(t.latencyForeign),
        rssPerStream: median(t.rssPerStream),
        heapPerStream: median(t.heapPerStream),
        rssPerStreamReps: t.rssPerStream,
        heapPerStreamReps: t.heapPerStream,
        idleOpened: t.idleOpened,
        abortP50: never ? Number.NaN : percentile(delays, 50),
        abortMax: never ? Number.NaN : (delays.at(-1) ?? Number.NaN),
        abortMissing: t.abortMissing,
        failures: t.failures,
        reasons: [...t.reasons],
      };
    });
    return {
      results,
      maxForeignCores: maxForeign,
      retriedWindows: retried,
      quietWaitMs: sizes.quietBudgetMs - quietBudget,
      ...(phases.has('frames') ? { frames } : {}),
      durationMs: performance.now() - startedAt,
      ...(redis
        ? {
            redis: {
              version: redisVersion,
              usedMemory: Number((await redisInfo(redis.port, 'memory')).used_memory),
            },
          }
        : {}),
    };
  }
}
