// The resume store on Redis Streams: one stream per run, entries `0-<lastSeq>`, a meta hash, one
// instance lease key, one shared tailer, stop by flag + pub/sub. See keys.ts and fence-scripts.ts.
import type { ServiceLogger } from '@flowllm/core';
import type {
  EventLog,
  LoggedFrames,
  ResumeConfig,
  RunInfo,
  RunState,
  RunWriter,
} from '@flowllm/core/adapter';
import { openConnection, type RedisConn } from './connection.js';
import { APPEND_SCRIPT, LOST_SCRIPT, STOP_SCRIPT } from './fence-scripts.js';
import { DONE, lostChunk, sliceFrames } from './frames.js';
import { entryId, RedisKeys, seqOf } from './keys.js';
import { LeaseTimer } from './lease.js';
import { redactText, redactUrl } from './redact.js';
import { RedisRunWriter } from './run-writer.js';
import { type Started, ttlOf } from './store-context.js';
import { type LogEntry, parseEntry, type RawEntry, Tailer } from './tailer.js';
import { WriteQueue } from './write-queue.js';

/** Frames per catch-up read. */
const CATCH_UP_BATCH = 1024;
/** The lowest Redis with `(` exclusive ranges and MINID. */
const MIN_REDIS = [6, 2];

/**
 * Options of {@link createRedisEventLog}; everything else comes from the config's `resume` block.
 *
 * @example
 * const options: RedisEventLogOptions = { url: process.env.REDIS_URL, connectTimeoutMs: 2000 };
 */
export interface RedisEventLogOptions {
  /** The Redis URL (`redis:` or `rediss:`). @default the config's `resume.redis_url` */
  url?: string;
  /** How long a connection attempt may take. @default 5000 */
  connectTimeoutMs?: number;
  /** The longest wait between reconnect attempts (they back off from 50 ms). @default 2000 */
  maxReconnectDelayMs?: number;
  /** Writes held while Redis is unreachable; past it a run's remote readers get no more events. @default 10000 */
  maxQueuedWrites?: number;
  /** How long close() waits for held writes to reach Redis. @default 5000 */
  closeFlushMs?: number;
}

/**
 * The Redis implementation of core's EventLog. Build it with {@link createRedisEventLog}.
 *
 * @example
 * const log = new RedisEventLog({ url: 'redis://127.0.0.1:6390' });
 */
export class RedisEventLog implements EventLog {
  readonly kind = 'redis';
  private s: Started | undefined;
  private closed = false;
  private down = false;
  /** When the command connection last became ready: a reader's stall clock starts no earlier. */
  private readyAt = performance.now();
  private readonly owned = new Map<string, RedisRunWriter>();
  private readonly stopListeners: Array<(flowId: string) => void> = [];
  private readonly closing = new AbortController();

  constructor(private readonly options: RedisEventLogOptions = {}) {}

  get available(): boolean {
    return this.s !== undefined && !this.closed && this.s.commands.isReady;
  }

  async start(ctx: { instanceId: string; logger: ServiceLogger; config: ResumeConfig }): Promise<void> {
    if (this.s) throw new Error('the Redis resume store was already started');
    const url = this.options.url || ctx.config.redis_url;
    if (!/^rediss?:\/\//i.test(url ?? ''))
      throw new Error('resume.redis_url must be a redis:// or rediss:// URL for the Redis resume store');
    const connection = {
      url,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 5000,
      maxReconnectDelayMs: this.options.maxReconnectDelayMs ?? 2000,
      onError: (error: Error) => this.connectionError(error),
    };
    const commands = openConnection(connection);
    const tail = openConnection(connection);
    const sub = openConnection(connection);
    const all = [commands, tail, sub];
    try {
      await Promise.all(all.map((conn) => conn.connect()));
      await checkVersion(commands);
    } catch (error) {
      for (const conn of all) conn.destroy();
      throw new Error(
        `the resume store cannot reach Redis at ${redactUrl(url)}: ${redactText(messageOf(error), url)}`,
      );
    }
    const keys = new RedisKeys(ctx.config.key_prefix);
    const queue = new WriteQueue(commands, this.options.maxQueuedWrites ?? 10_000, (error) =>
      ctx.logger.warn('resume store: a Redis write failed', { error: redactText(messageOf(error), url) }),
    );
    const tailer = new Tailer(tail, commands);
    const lease = new LeaseTimer(ctx.config.lease_seconds, ctx.config.ttl_seconds, {
      renew: () => this.renewLease(),
      pollStops: () => this.pollStops(),
      refreshTtls: () => this.refreshTtls(),
    });
    this.s = { url, ...ctx, keys, commands, tail, sub, queue, tailer, lease };
    await commands.sendCommand(['SCRIPT', 'LOAD', APPEND_SCRIPT]);
    commands.on('ready', () => this.reconnected());
    tail.on('ready', () => tailer.reconnected());
    await sub.subscribe(keys.stopChannel(), (flowId) => this.notifyStop(flowId));
    lease.start();
  }

  async close(): Promise<void> {
    const s = this.s;
    if (this.closed || !s) {
      this.closed = true;
      return;
    }
    this.closed = true;
    this.closing.abort();
    s.lease.stop();
    s.tailer.close();
    await s.queue.flush(performance.now() + (this.options.closeFlushMs ?? 5000));
    s.queue.abandon();
    if (s.commands.isReady)
      await s.commands.sendCommand(['DEL', s.keys.instance(s.instanceId)]).catch(() => {});
    // The tailer's XREAD may still block, and pub/sub has nothing to finish: both just go.
    s.tail.destroy();
    s.sub.destroy();
    if (s.commands.isReady) await s.commands.close().catch(() => s.commands.destroy());
    else s.commands.destroy();
  }

  create(run: { flowId: string; flow: string; variant: RunInfo['variant'] }): RunWriter {
    const s = this.started();
    const writer = new RedisRunWriter(run.flowId, s, () => this.owned.delete(run.flowId));
    this.owned.set(run.flowId, writer);
    s.queue.push([
      'HSET',
      s.keys.meta(run.flowId),
      'flow',
      run.flow,
      'variant',
      run.variant,
      'owner',
      s.instanceId,
      'state',
      'running',
      'stop',
      '0',
    ]);
    s.queue.push(['EXPIRE', s.keys.meta(run.flowId), String(ttlOf(s))]);
    return writer;
  }

  async info(flowId: string): Promise<RunInfo | undefined> {
    const s = this.started();
    const [meta, first, top] = await this.guard(
      Promise.all([
        s.commands.sendCommand<Array<string | null>>([
          'HMGET',
          s.keys.meta(flowId),
          'flow',
          'variant',
          'owner',
          'state',
        ]),
        s.commands.sendCommand<RawEntry[]>(['XRANGE', s.keys.log(flowId), '-', '+', 'COUNT', '1']),
        s.commands.sendCommand<RawEntry[]>(['XREVRANGE', s.keys.log(flowId), '+', '-', 'COUNT', '1']),
      ]),
    );
    const [flow, variant, owner, state] = meta;
    if (!flow || !state) return undefined;
    const last = top[0] ? parseEntry(top[0]) : undefined;
    const lastSeq = last?.lastSeq ?? 0;
    const oldest = first[0] ? parseEntry(first[0]).firstSeq : 1;
    return {
      flowId,
      flow,
      variant: variant === 'event-source' ? 'event-source' : 'post',
      owner: owner ?? '',
      state: state as RunState,
      firstSeq: Math.max(oldest, lastSeq - s.config.max_events_per_run + 1, 1),
      lastSeq,
      ended: last?.frames[last.frames.length - 1] === DONE,
    };
  }

  async read(flowId: string, afterSeq: number, max: number): Promise<LoggedFrames> {
    const s = this.started();
    const [raw, top] = await this.guard(
      Promise.all([
        s.commands.sendCommand<RawEntry[]>([
          'XRANGE',
          s.keys.log(flowId),
          `(${entryId(afterSeq)}`,
          '+',
          'COUNT',
          String(Math.max(1, max)),
        ]),
        s.commands.sendCommand<RawEntry[]>(['XREVRANGE', s.keys.log(flowId), '+', '-', 'COUNT', '1']),
      ]),
    );
    const lastSeq = top[0] ? seqOf(top[0][0]) : 0;
    // MINID drops whole entries; frames past the cap inside a kept entry are dropped here.
    const floor = Math.max(afterSeq + 1, lastSeq - s.config.max_events_per_run + 1);
    return sliceFrames(raw.map(parseEntry), floor, max, afterSeq + 1);
  }

  async *follow(flowId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedFrames> {
    const s = this.started();
    let cursor = afterSeq;
    // Catch up from the stored log (through outages: a follower waits for Redis rather than fail).
    for (;;) {
      if (signal.aborted || this.closed) return;
      const slice = await this.read(flowId, cursor, CATCH_UP_BATCH).catch(async () => {
        await this.untilAvailable(signal);
        return undefined;
      });
      if (slice === undefined) continue;
      if (slice.frames.length === 0) break;
      cursor = slice.firstSeq + slice.frames.length - 1;
      yield slice;
      if (slice.frames[slice.frames.length - 1] === DONE) return;
    }
    // Then tail it live through the shared XREAD.
    const buffered: LogEntry[] = [];
    let wake: (() => void) | undefined;
    const watcher = {
      key: s.keys.log(flowId),
      after: cursor,
      deliver: (entries: LogEntry[]) => {
        buffered.push(...entries);
        wake?.();
      },
    };
    const unwatch = s.tailer.watch(watcher);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    this.closing.signal.addEventListener('abort', onAbort);
    const leaseMs = s.config.lease_seconds * 1000;
    let lastProgress = performance.now();
    try {
      for (;;) {
        while (buffered.length > 0) {
          const entries = buffered.splice(0);
          const slice = sliceFrames(entries, cursor + 1, Number.POSITIVE_INFINITY, cursor + 1);
          if (slice.frames.length === 0) continue;
          cursor = slice.firstSeq + slice.frames.length - 1;
          watcher.after = cursor;
          lastProgress = performance.now();
          yield slice;
          if (slice.frames[slice.frames.length - 1] === DONE) return;
        }
        if (signal.aborted || this.closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.max(10, leaseMs / 2)).unref();
        });
        wake = undefined;
        if (buffered.length > 0 || signal.aborted || this.closed) continue;
        // Time without Redis does not count: after an outage the owner needs a moment to renew its lease.
        if (!this.available || performance.now() - Math.max(lastProgress, this.readyAt) < leaseMs) continue;
        const verdict = await this.checkStalled(flowId, cursor).catch(() => 'wait' as const);
        if (verdict === 'gone') return;
        if (verdict === 'wrote') lastProgress = performance.now();
      }
    } finally {
      unwatch();
      signal.removeEventListener('abort', onAbort);
      this.closing.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Resolves once Redis answers again, or the follower or the log is done. */
  private async untilAvailable(signal: AbortSignal): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50).unref());
    while (!this.available && !signal.aborted && !this.closed)
      await new Promise((resolve) => setTimeout(resolve, 50).unref());
  }

  async requestStop(flowId: string): Promise<void> {
    const s = this.started();
    await this.guard(
      s.commands.sendCommand(['EVAL', STOP_SCRIPT, '1', s.keys.meta(flowId), s.keys.stopChannel(), flowId]),
    );
    // The owner is here: no need to wait for the message to come back.
    if (this.owned.has(flowId)) this.notifyStop(flowId);
  }

  async setAlias(key: string, flowId: string): Promise<void> {
    const s = this.started();
    await this.guard(s.commands.sendCommand(['SET', s.keys.alias(key), flowId, 'EX', String(ttlOf(s))]));
  }

  async alias(key: string): Promise<string | undefined> {
    const s = this.started();
    return (await this.guard(s.commands.sendCommand<string | null>(['GET', s.keys.alias(key)]))) ?? undefined;
  }

  onStop(listener: (flowId: string) => void): void {
    this.stopListeners.push(listener);
  }

  heartbeatReaders(flowIds: readonly string[]): void {
    const s = this.s;
    if (!s?.commands.isReady) return;
    const px = String(Math.ceil(s.config.lease_seconds * 1000));
    for (const flowId of flowIds)
      s.commands.sendCommand(['SET', s.keys.attached(flowId), s.instanceId, 'PX', px]).catch(() => {});
  }

  async hasRemoteReaders(flowId: string): Promise<boolean> {
    const s = this.started();
    // Only instances that read a run they do not own set the key (see heartbeatReaders).
    return (await this.guard(s.commands.sendCommand<number>(['EXISTS', s.keys.attached(flowId)]))) === 1;
  }

  /**
   * No progress for a lease: is the run lost? Ends the follow when the run is gone, or ended and nothing
   * more will come; declares it lost (through the fence) when its owner's lease is gone.
   */
  private async checkStalled(flowId: string, cursor: number): Promise<'gone' | 'wrote' | 'wait'> {
    const s = this.started();
    const [owner, state] = await s.commands.sendCommand<Array<string | null>>([
      'HMGET',
      s.keys.meta(flowId),
      'owner',
      'state',
    ]);
    if (!owner || !state) return 'gone';
    if (state !== 'running') {
      // Ended without [DONE] after our cursor (its end was written, its frames never were).
      const more = await this.read(flowId, cursor, 1);
      return more.frames.length === 0 ? 'gone' : 'wait';
    }
    const frames = `${lostChunk(flowId)}\n${DONE}`;
    const wrote = await s.commands.sendCommand<number>([
      'EVAL',
      LOST_SCRIPT,
      '3',
      s.keys.log(flowId),
      s.keys.meta(flowId),
      s.keys.instance(owner),
      String(cursor),
      frames,
      String(ttlOf(s)),
    ]);
    if (wrote === 1)
      s.logger.warn('resume store: a run was lost (its owner stopped renewing its lease)', { flowId });
    return wrote === 1 ? 'wrote' : 'wait';
  }

  private notifyStop(flowId: string): void {
    const writer = this.owned.get(flowId);
    if (writer) {
      if (writer.stopNotified) return;
      writer.stopNotified = true;
    }
    for (const listener of this.stopListeners) {
      try {
        listener(flowId);
      } catch (error) {
        this.s?.logger.error('resume store: a stop listener threw', { error: messageOf(error) });
      }
    }
  }

  private renewLease(): void {
    const s = this.s;
    if (!s?.commands.isReady) return;
    const px = String(Math.ceil(s.config.lease_seconds * 1000));
    s.commands.sendCommand(['SET', s.keys.instance(s.instanceId), '1', 'PX', px]).catch(() => {});
  }

  private pollStops(): void {
    const s = this.s;
    if (!s?.commands.isReady) return;
    for (const [flowId, writer] of this.owned) {
      if (writer.stopNotified) continue;
      s.commands
        .sendCommand<string | null>(['HGET', s.keys.meta(flowId), 'stop'])
        .then((flag) => {
          if (flag === '1') this.notifyStop(flowId);
        })
        .catch(() => {});
    }
  }

  private refreshTtls(): void {
    const s = this.s;
    if (!s) return;
    for (const writer of this.owned.values()) if (!writer.fenced) writer.refreshTtl();
  }

  private connectionError(error: Error): void {
    const s = this.s;
    if (!s || this.closed) return;
    if (!this.down)
      s.logger.warn('resume store: lost the connection to Redis; retrying (resume answers 503 meanwhile)', {
        url: redactUrl(s.url),
        error: redactText(error.message, s.url),
      });
    this.down = true;
  }

  private reconnected(): void {
    const s = this.s;
    if (!s || this.closed) return;
    if (this.down) s.logger.info('resume store: reconnected to Redis', { url: redactUrl(s.url) });
    this.down = false;
    this.readyAt = performance.now();
    // Before the held appends (one connection keeps the order): a restarted Redis has no scripts.
    s.commands.sendCommand(['SCRIPT', 'LOAD', APPEND_SCRIPT]).catch(() => {});
    this.renewLease();
    s.queue.resume();
  }

  private started(): Started {
    if (!this.s) throw new Error('the Redis resume store was not started (call start() first)');
    return this.s;
  }

  /** Driver errors without the URL's password. */
  private async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      const url = this.s?.url ?? '';
      throw new Error(`the resume store (Redis) failed: ${redactText(messageOf(error), url)}`);
    }
  }
}

async function checkVersion(commands: RedisConn): Promise<void> {
  const info = String(await commands.sendCommand(['INFO', 'server']));
  const version = /redis_version:(\d+)\.(\d+)/.exec(info);
  if (!version) return;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major < MIN_REDIS[0]! || (major === MIN_REDIS[0] && minor < MIN_REDIS[1]!))
    throw new Error(`Redis ${major}.${minor} is too old: the resume store needs Redis 6.2 or later`);
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
