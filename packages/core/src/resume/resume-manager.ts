import { newFlowId } from '../engine/flow.js';
import { ShutdownError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
import { errorMessage, FlowllmError } from '../errors.js';
import { HttpError } from '../http/http-error.js';
import type { ServiceLogger } from '../http/service-types.js';
import type { StreamVariant } from '../http/sse-framer.js';
import { redact } from '../models/upstream-details.js';
import type { EventLog, ResumeConfig, RunInfo } from './event-log.js';
import { LiveRun } from './live-run.js';
import { loadRedis } from './load-redis.js';
import { createMemoryEventLog } from './memory-event-log.js';
import { ResumeStoreError, RunStoppedError } from './resume-errors.js';
import { RunReader } from './run-reader.js';

/** Seconds a client is told to wait when the store cannot answer. */
export const STORE_RETRY_AFTER = 5;

/**
 * Why a run cannot be read: it is unknown, expired or another flow's (`unknown`), its events before
 * the reader's position were dropped (`trimmed`), or the reader has had all of it (`ended`).
 *
 * @example
 * const reason: NoRunReason = 'trimmed';
 */
export type NoRunReason = 'unknown' | 'trimmed' | 'ended';

/**
 * The resumable runs of one `FlowService`: its instance id, the store, the runs it owns (live here),
 * and stop dispatch. Made when `resume.backend` is not `none` (or an `eventLog` is given).
 *
 * @example
 * const manager = new ResumeManager(config.resume, logger);
 * await manager.ready();
 * const reader = manager.startRun(stream, 'chat', 'post');
 */
export class ResumeManager {
  /** This process's id in the store (owner of the runs it starts). */
  readonly instanceId = newFlowId();
  private readonly runs = new Map<string, LiveRun>();
  private log: EventLog | undefined;
  private failure: unknown;
  private readonly starting: Promise<void>;
  private readonly remoteReaders = new Map<string, number>();
  private readerBeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly config: ResumeConfig,
    private readonly logger: ServiceLogger,
    eventLog?: EventLog,
    cwd = typeof process !== 'undefined' ? process.cwd() : '.',
  ) {
    this.starting = this.begin(eventLog, cwd).catch((error: unknown) => {
      this.failure = startFailure(error);
      // Logged once here: a service that never awaits ready() still says why its run routes answer 503.
      this.logger.error(`the resume store could not start: ${errorMessage(this.failure)}`);
    });
  }

  /** Resolves once the store is up; rejects with why it cannot start (serve() fails on it). */
  async ready(): Promise<void> {
    await this.starting;
    if (this.failure !== undefined) throw this.failure;
  }

  /** The runs live on this instance. */
  get liveRuns(): number {
    return this.runs.size;
  }

  /** The store, when it can answer; else 503 with `Retry-After`. */
  async store(): Promise<EventLog> {
    await this.starting;
    const log = this.log;
    if (!log?.available) throw storeDown(log?.kind ?? this.config.backend);
    return log;
  }

  /** Logs a started stream as a run owned here and returns the first reader (the POST's own response). */
  startRun(stream: FlowStream, flow: string, variant: StreamVariant): RunReader {
    const log = this.log as EventLog;
    const info = { flowId: stream.flowId, flow, variant };
    const run = new LiveRun(stream, log.create(info), info, {
      maxEvents: this.config.max_events_per_run,
      detachMs: this.config.detach_seconds * 1000,
      checkEveryMs: this.leaseThirdMs(),
      readersElsewhere: log.hasRemoteReaders
        ? () => log.hasRemoteReaders?.(info.flowId) ?? Promise.resolve(false)
        : undefined,
      onEnd: (ended) => {
        if (this.runs.get(ended.flowId) === ended) this.runs.delete(ended.flowId);
      },
    });
    this.runs.set(stream.flowId, run);
    const reader = new RunReader({ flowId: stream.flowId, variant, after: 0, log, live: run });
    run.start();
    return reader;
  }

  /**
   * Names a run under `key` (a chat's latest run, for `useChat`'s resume). Write-behind: a store that
   * fails is logged, and the stream goes on (that chat just cannot be resumed).
   */
  nameRun(key: string, flowId: string): void {
    this.log?.setAlias?.(key, flowId).catch((error: unknown) => {
      this.logger.warn(`naming a run in the resume store failed: ${errorMessage(error)}`, {
        flow_id: flowId,
      });
    });
  }

  /** The run last named `key`, if any (503 when the store cannot answer). */
  async namedRun(key: string): Promise<string | undefined> {
    const log = await this.store();
    return log.alias ? await log.alias(key) : undefined;
  }

  /**
   * A reader of `flowId` (a run of `flow`) after seq `after`, or why there is none. 400 when `after`
   * is past the last event of a run that ended or runs here; 503 when the store cannot answer.
   */
  async attach(
    flow: string,
    flowId: string,
    after: number,
    variant: StreamVariant,
  ): Promise<RunReader | NoRunReason> {
    const found = await this.find(flow, flowId);
    if (!found) return 'unknown';
    const { info, log } = found;
    const live = this.runs.get(flowId);
    const lastSeq = Math.max(info.lastSeq, live?.lastSeq ?? 0);
    const ended = live ? live.ended : info.ended;
    // A run owned by another instance may have sent events its store writes have not reached yet: a
    // client resuming through here may know ids the store does not, so it follows until they arrive.
    const ownerAhead = !live && !ended;
    if (after > lastSeq && !ownerAhead) {
      throw new HttpError(400, `Last-Event-ID ${after} is past the run's last event`);
    }
    if (ended && after >= lastSeq) return 'ended';
    const trimmed = live ? live.after(after) === 'gap' : info.firstSeq > after + 1;
    if (trimmed) return 'trimmed';
    if (live) return new RunReader({ flowId, variant, after, log, live });
    // A run owned elsewhere: tell its owner this instance reads it, so it is not aborted as detached.
    this.remoteReaders.set(flowId, (this.remoteReaders.get(flowId) ?? 0) + 1);
    this.markRemoteReaders();
    const onClose = () => {
      const count = (this.remoteReaders.get(flowId) ?? 1) - 1;
      if (count > 0) this.remoteReaders.set(flowId, count);
      else this.remoteReaders.delete(flowId);
    };
    return new RunReader({ flowId, variant, after, log, onClose });
  }

  /** A third of the lease: how often reader marks are renewed and a detached run asks for them. */
  private leaseThirdMs(): number {
    return Math.max(50, (this.config.lease_seconds * 1000) / 3);
  }

  /** Marks the remote runs read here, now and every third of the lease while there are any. */
  private markRemoteReaders(): void {
    const log = this.log;
    if (!log?.heartbeatReaders) return;
    log.heartbeatReaders([...this.remoteReaders.keys()]);
    if (this.readerBeat) return;
    this.readerBeat = setInterval(() => {
      if (this.remoteReaders.size === 0) {
        clearInterval(this.readerBeat);
        this.readerBeat = undefined;
        return;
      }
      log.heartbeatReaders?.([...this.remoteReaders.keys()]);
    }, this.leaseThirdMs());
    this.readerBeat.unref?.();
  }

  /** The run as `?format=json` shows it, or undefined when unknown (or another flow's). */
  async status(flow: string, flowId: string): Promise<RunInfo | undefined> {
    const found = await this.find(flow, flowId);
    if (!found) return undefined;
    const live = this.runs.get(flowId);
    if (live && live.lastSeq > found.info.lastSeq) found.info.lastSeq = live.lastSeq;
    return found.info;
  }

  /** Stops a run of `flow` wherever it runs: its state after the request, or undefined when unknown. */
  async stop(flow: string, flowId: string): Promise<'stopping' | RunInfo['state'] | undefined> {
    const found = await this.find(flow, flowId);
    if (!found) return undefined;
    const live = this.runs.get(flowId);
    if (live ? live.ended : found.info.ended) return live?.state ?? found.info.state;
    await found.log.requestStop(flowId);
    return 'stopping';
  }

  /** Aborts every run live here (shutdown), then closes the store (flushing what it still holds). */
  async close(reason: string): Promise<void> {
    for (const run of [...this.runs.values()]) run.abort(new ShutdownError(reason));
    clearInterval(this.readerBeat);
    await this.starting;
    await this.log?.close();
  }

  private async find(flow: string, flowId: string): Promise<{ info: RunInfo; log: EventLog } | undefined> {
    const log = await this.store();
    let info: RunInfo | undefined;
    try {
      info = await log.info(flowId);
    } catch (error) {
      this.logger.warn(`the resume store failed: ${errorMessage(error)}`);
      throw storeDown(log.kind);
    }
    // Another flow's run answers exactly like an unknown one: nothing leaks across flows.
    if (!info || info.flow !== flow) return undefined;
    return { info, log };
  }

  private async begin(eventLog: EventLog | undefined, cwd: string): Promise<void> {
    const log = eventLog ?? (await this.makeLog(cwd));
    await log.start({ instanceId: this.instanceId, logger: this.logger, config: this.config });
    log.onStop((flowId) => this.runs.get(flowId)?.abort(new RunStoppedError()));
    this.log = log;
  }

  private async makeLog(cwd: string): Promise<EventLog> {
    if (this.config.backend !== 'redis') return createMemoryEventLog();
    const redis = await loadRedis(cwd);
    return redis.createRedisEventLog({ url: this.config.redis_url });
  }
}

function storeDown(kind: string): HttpError {
  return new HttpError(503, new ResumeStoreError(kind).message, { 'retry-after': String(STORE_RETRY_AFTER) });
}

/** Why the store could not start, as a `FLOWLLM_RESUME_STORE` error; a URL's credentials are cut out. */
function startFailure(error: unknown): Error {
  if (FlowllmError.isInstance(error) && error.code === 'FLOWLLM_RESUME_STORE') return error;
  return new FlowllmError('FLOWLLM_RESUME_STORE', redact(errorMessage(error), undefined), { cause: error });
}
