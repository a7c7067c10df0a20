// The load client process: drives one target at a time over raw sockets, as the orchestrator asks.
import { serveIpc } from './ipc.js';
import { nowUs } from './model.js';
import { type ClientStats, Histogram, SseConnection, type StreamOutcome } from './sse-client.js';

const stats: ClientStats = { events: 0, latency: undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  port: number;
  path: string;
}

/** Failed streams of the current command, with the first few reasons. */
class Failures {
  count = 0;
  readonly reasons: string[] = [];
  add(outcome: StreamOutcome | Error): void {
    this.count++;
    const reason = outcome instanceof Error ? outcome.message : (outcome.error ?? 'failed');
    if (this.reasons.length < 3 && !this.reasons.includes(reason)) this.reasons.push(reason);
  }
}

// ---- throughput: K connections, each streaming N-token responses back to back until told to stop.
let load:
  | {
      stopping: boolean;
      loops: Promise<void>[];
      /** Open connections, closed at stop: a window's end does not wait for long streams to finish. */
      open: Set<SseConnection>;
      streams: number;
      failures: Failures;
      ttfb: number[];
    }
  | undefined;

async function loadLoop(target: Target, body: string, maxStreams: number): Promise<void> {
  const state = load!;
  let connection: SseConnection | undefined;
  try {
    while (!state.stopping && state.streams < maxStreams) {
      if (!connection?.reusable) {
        if (connection) state.open.delete(connection);
        connection?.destroy();
        connection = await SseConnection.open(target.port, stats);
        state.open.add(connection);
        if (state.stopping) break;
      }
      state.streams++;
      const outcome = await connection.stream(target.port, target.path, body);
      // Streams cut at stop are not failures.
      if (state.stopping) break;
      if (!outcome.ok) state.failures.add(outcome);
      else if (state.ttfb.length < 100_000) state.ttfb.push(outcome.ttfbUs);
      if (!outcome.ok) await sleep(5);
    }
  } catch (error) {
    state.failures.add(error as Error);
  } finally {
    connection?.destroy();
  }
}

// ---- idle streams held open for the memory probe.
let idle: SseConnection[] = [];

async function openIdle(target: Target, count: number, batch: number): Promise<Record<string, unknown>> {
  const failures = new Failures();
  const body = JSON.stringify({ n: 2, iv: 0, idle: true });
  let opened = 0;
  const deadline = performance.now() + 120_000;
  while (opened + failures.count < count && performance.now() < deadline) {
    const size = Math.min(batch, count - opened - failures.count);
    await Promise.all(
      Array.from({ length: size }, async () => {
        try {
          const connection = await SseConnection.open(target.port, stats);
          idle.push(connection);
          await new Promise<void>((resolve, reject) => {
            connection
              .stream(target.port, target.path, body, { onFirstEvent: resolve })
              .then((outcome) => reject(new Error(outcome.error ?? 'the idle stream ended')));
          });
          opened++;
        } catch (error) {
          failures.add(error as Error);
        }
      }),
    );
  }
  return { opened, failed: failures.count, reasons: failures.reasons };
}

serveIpc(async (message) => {
  const target = { port: Number(message.port), path: String(message.path) };
  switch (message.type) {
    case 'load-start': {
      const body = JSON.stringify({
        n: Number(message.n),
        iv: 0,
        k: Number(message.k ?? 1),
        size: Number(message.size ?? 0),
      });
      load = { stopping: false, loops: [], open: new Set(), streams: 0, failures: new Failures(), ttfb: [] };
      const maxStreams = Number(message.maxStreams ?? 1_000_000);
      for (let i = 0; i < Number(message.conns); i++) load.loops.push(loadLoop(target, body, maxStreams));
      return {};
    }
    case 'mark':
      return { events: stats.events, atUs: nowUs(), cpu: process.cpuUsage() };
    case 'load-stop': {
      const state = load!;
      state.stopping = true;
      for (const connection of state.open) connection.destroy();
      await Promise.all(state.loops);
      load = undefined;
      state.ttfb.sort((a, b) => a - b);
      return {
        streams: state.streams,
        failed: state.failures.count,
        reasons: state.failures.reasons,
        ttfbP50: state.ttfb[Math.floor(state.ttfb.length / 2)] ?? Number.NaN,
      };
    }
    case 'ttfb': {
      // Sequential requests on one keep-alive connection: the cost of starting a stream, unloaded.
      const body = JSON.stringify({ n: Number(message.n), iv: 0 });
      const samples: number[] = [];
      const failures = new Failures();
      let connection: SseConnection | undefined;
      for (let i = 0; i < Number(message.count); i++) {
        if (!connection?.reusable) {
          connection?.destroy();
          connection = await SseConnection.open(target.port, stats);
        }
        const outcome = await connection.stream(target.port, target.path, body);
        if (outcome.ok) samples.push(outcome.ttfbUs);
        else failures.add(outcome);
      }
      connection?.destroy();
      return { samples, failed: failures.count, reasons: failures.reasons };
    }
    case 'latency': {
      // S paced streams (one token every iv ms each), started evenly across one interval.
      const streams = Number(message.streams);
      const iv = Number(message.iv);
      const warmMs = Number(message.warmMs);
      const windowMs = Number(message.windowMs);
      const n = Math.ceil((warmMs + windowMs) / iv) + 2;
      const body = JSON.stringify({ n, iv });
      const failures = new Failures();
      const connections: SseConnection[] = [];
      const histogram = new Histogram();
      const runs: Promise<void>[] = [];
      for (let i = 0; i < streams; i++) {
        runs.push(
          (async () => {
            await sleep((i * iv) / streams);
            const connection = await SseConnection.open(target.port, stats);
            connections.push(connection);
            const outcome = await connection.stream(target.port, target.path, body);
            if (!outcome.ok) failures.add(outcome);
          })().catch((error: unknown) => failures.add(error as Error)),
        );
      }
      await sleep(warmMs);
      stats.latency = histogram;
      histogram.reset();
      const before = stats.events;
      const startedAt = nowUs();
      await sleep(windowMs);
      stats.latency = undefined;
      const events = stats.events - before;
      const elapsedUs = nowUs() - startedAt;
      const ended = Promise.all(runs);
      await Promise.race([ended, sleep(10_000)]);
      for (const connection of connections) connection.destroy();
      return {
        rate: (events / elapsedUs) * 1e6,
        p50: histogram.percentile(50),
        p99: histogram.percentile(99),
        p999: histogram.percentile(99.9),
        max: histogram.percentile(100),
        samples: histogram.total,
        failed: failures.count,
        reasons: failures.reasons,
      };
    }
    case 'capture': {
      // One stream of fixed tokens (`~<index>~`, the same bytes every time): its body, to compare targets.
      const body = JSON.stringify({
        n: Number(message.n),
        iv: 0,
        k: Number(message.k ?? 1),
        size: Number(message.size ?? 0),
        fixed: true,
      });
      const connection = await SseConnection.open(target.port, stats);
      try {
        const outcome = await connection.stream(target.port, target.path, body, { capture: true });
        return {
          ok: outcome.ok,
          events: outcome.events,
          error: outcome.error ?? null,
          body: outcome.body?.toString('utf8') ?? '',
        };
      } finally {
        connection.destroy();
      }
    }
    case 'idle-open':
      return openIdle(target, Number(message.count), Number(message.batch ?? 200));
    case 'idle-release': {
      for (const connection of idle) connection.destroy();
      const released = idle.length;
      idle = [];
      return { released };
    }
    case 'disconnect': {
      // A client that reads a few tokens and leaves; the server reports when its model stopped.
      const trials: { id: string; leftAtUs: number }[] = [];
      const failures = new Failures();
      for (let i = 0; i < Number(message.trials); i++) {
        const id = `${message.prefix ?? 'd'}${i}`;
        const body = JSON.stringify({ n: Number(message.n ?? 100_000), iv: Number(message.iv), id });
        try {
          const connection = await SseConnection.open(target.port, stats);
          const outcome = await Promise.race([
            connection.stream(target.port, target.path, body, { leaveAfterEvents: Number(message.after) }),
            sleep(5000).then(() => undefined),
          ]);
          connection.destroy();
          if (outcome?.leftAtUs !== undefined) trials.push({ id, leftAtUs: outcome.leftAtUs });
          else failures.add(outcome ?? new Error('no events within 5 s'));
        } catch (error) {
          failures.add(error as Error);
        }
        await sleep(Number(message.gapMs));
      }
      return { trials, failed: failures.count, reasons: failures.reasons };
    }
    default:
      throw new Error(`unknown request '${message.type}'`);
  }
});
process.send?.({ type: 'ready' });
