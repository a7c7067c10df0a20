import type { ServiceLogger } from '../http/service-types.js';
import type { EventLog, LoggedFrames, ResumeConfig, RunInfo, RunState, RunWriter } from './event-log.js';

/**
 * The `[DONE]` frame: the last one of every run's log.
 *
 * @example
 * const ended = slice.frames.at(-1) === DONE_FRAME;
 */
export const DONE_FRAME = '[DONE]';

interface MemoryRun {
  info: RunInfo;
  frames: string[];
  /** When the run's log may be dropped (ms since the epoch); moved on by every append. */
  expiresAt: number;
  waiters: Set<() => void>;
}

/**
 * Frames the memory store holds across all its runs before it drops finished runs early, oldest
 * first: with an hour's TTL, a busy server would otherwise keep every stream it ever served.
 *
 * @example
 * createMemoryEventLog({ maxTotalEvents: DEFAULT_MEMORY_EVENTS / 10 });
 */
export const DEFAULT_MEMORY_EVENTS = 1_000_000;

/**
 * The one-process store: runs in a Map, each a frame ring capped at `max_events_per_run` (`firstSeq`
 * moves on as frames drop), one unref'd sweep that drops runs past their TTL, and a budget of frames
 * across runs (`maxTotalEvents`) past which finished runs are dropped before their TTL, oldest first.
 *
 * @example
 * const log = createMemoryEventLog();
 * await log.start({ instanceId: 'i1', logger: consoleLogger, config });
 */
export class MemoryEventLog implements EventLog {
  /** `memory`. */
  readonly kind = 'memory';
  /** Always true: the store is this process. */
  readonly available = true;
  private readonly runs = new Map<string, MemoryRun>();
  // Names of runs (`setAlias`); a name lives as long as its run, swept with it.
  private readonly aliases = new Map<string, string>();
  private readonly stopListeners: ((flowId: string) => void)[] = [];
  private instanceId = '';
  private maxEvents = 20_000;
  private ttlMs = 3_600_000;
  private sweep: ReturnType<typeof setInterval> | undefined;
  private totalFrames = 0;

  /** `maxTotalEvents`: frames held across runs before finished runs go early (default 1,000,000). */
  constructor(private readonly maxTotalEvents = DEFAULT_MEMORY_EVENTS) {}

  async start(ctx: { instanceId: string; logger: ServiceLogger; config: ResumeConfig }): Promise<void> {
    this.instanceId = ctx.instanceId;
    this.maxEvents = ctx.config.max_events_per_run;
    this.ttlMs = ctx.config.ttl_seconds * 1000;
    // A quarter of the TTL (at most a minute): an expired run outlives its TTL by that much at most.
    const every = Math.max(10, Math.min(60_000, this.ttlMs / 4));
    this.sweep = setInterval(() => this.evict(Date.now()), every);
    this.sweep.unref?.();
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    this.sweep = undefined;
    for (const run of this.runs.values()) wake(run);
  }

  create(run: { flowId: string; flow: string; variant: RunInfo['variant'] }): RunWriter {
    const entry: MemoryRun = {
      info: { ...run, owner: this.instanceId, state: 'running', firstSeq: 1, lastSeq: 0, ended: false },
      frames: [],
      expiresAt: Date.now() + this.ttlMs,
      waiters: new Set(),
    };
    this.runs.set(run.flowId, entry);
    return {
      fenced: false,
      append: (frames) => {
        if (this.runs.get(run.flowId) !== entry || entry.info.ended || frames.length === 0) return;
        for (const frame of frames) entry.frames.push(frame);
        entry.info.lastSeq += frames.length;
        this.totalFrames += frames.length;
        if (frames[frames.length - 1] === DONE_FRAME) entry.info.ended = true;
        const over = entry.frames.length - this.maxEvents;
        if (over > 0) {
          entry.frames.splice(0, over);
          entry.info.firstSeq += over;
          this.totalFrames -= over;
        }
        if (this.totalFrames > this.maxTotalEvents) this.dropFinishedRuns();
        entry.expiresAt = Date.now() + this.ttlMs;
        wake(entry);
      },
      end: async (state: RunState) => {
        entry.info.state = state;
        entry.info.ended = true;
        entry.expiresAt = Date.now() + this.ttlMs;
        wake(entry);
      },
    };
  }

  async info(flowId: string): Promise<RunInfo | undefined> {
    const run = this.live(flowId);
    return run ? { ...run.info } : undefined;
  }

  async read(flowId: string, afterSeq: number, max: number): Promise<LoggedFrames> {
    return this.slice(this.live(flowId), afterSeq, max);
  }

  async *follow(flowId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedFrames> {
    let cursor = afterSeq;
    while (!signal.aborted) {
      const run = this.live(flowId);
      if (!run) return;
      // Read and start waiting in the same turn, so no append slips in between unseen.
      const slice = this.slice(run, cursor, 1024);
      if (slice.frames.length > 0) {
        cursor = slice.firstSeq + slice.frames.length - 1;
        yield slice;
        continue;
      }
      if (run.info.ended && cursor >= run.info.lastSeq) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          run.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        run.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  async requestStop(flowId: string): Promise<void> {
    if (!this.live(flowId)) return;
    for (const listener of this.stopListeners) listener(flowId);
  }

  onStop(listener: (flowId: string) => void): void {
    this.stopListeners.push(listener);
  }

  async setAlias(key: string, flowId: string): Promise<void> {
    if (this.live(flowId)) this.aliases.set(key, flowId);
  }

  async alias(key: string): Promise<string | undefined> {
    const flowId = this.aliases.get(key);
    return flowId !== undefined && this.live(flowId) ? flowId : undefined;
  }

  /** Drops every run whose TTL ran out by `now` (the sweep calls it; tests may too), and their names. */
  evict(now: number): void {
    for (const [flowId, run] of this.runs) if (run.expiresAt <= now) this.drop(flowId, run);
    for (const [key, flowId] of this.aliases) if (!this.runs.has(flowId)) this.aliases.delete(key);
  }

  /** Frames held across every run. */
  get heldEvents(): number {
    return this.totalFrames;
  }

  /** Over the budget: finished runs go, oldest first (a Map keeps creation order), until under it. */
  private dropFinishedRuns(): void {
    for (const [flowId, run] of this.runs) {
      if (this.totalFrames <= this.maxTotalEvents) return;
      if (run.info.ended) this.drop(flowId, run);
    }
  }

  private drop(flowId: string, run: MemoryRun): void {
    this.runs.delete(flowId);
    this.totalFrames -= run.frames.length;
    wake(run);
  }

  private slice(run: MemoryRun | undefined, afterSeq: number, max: number): LoggedFrames {
    if (!run) return { firstSeq: afterSeq + 1, frames: [] };
    const from = Math.max(afterSeq + 1, run.info.firstSeq);
    const start = from - run.info.firstSeq;
    return { firstSeq: from, frames: run.frames.slice(start, start + Math.max(0, max)) };
  }

  private live(flowId: string): MemoryRun | undefined {
    const run = this.runs.get(flowId);
    if (run && run.expiresAt <= Date.now()) {
      this.drop(flowId, run);
      return undefined;
    }
    return run;
  }
}

/**
 * A new memory store, for `resume.backend: memory` or a test; `maxTotalEvents` bounds the frames it
 * holds across runs (default {@link DEFAULT_MEMORY_EVENTS}).
 *
 * @example
 * const service = createFlowService(app, { eventLog: createMemoryEventLog() });
 */
export function createMemoryEventLog(options: { maxTotalEvents?: number } = {}): MemoryEventLog {
  return new MemoryEventLog(options.maxTotalEvents);
}

function wake(run: MemoryRun): void {
  for (const waiter of [...run.waiters]) waiter();
}
