// The store contract behind resumable runs. Core ships a memory store; `@flowllm/redis` implements the
// same interface for many instances. Frames are whole SSE `data:` payloads (a chunk's JSON or
// `[DONE]`); the seq of a frame is its event id. Stores and clients code against this file: change it
// only by adding optional members.
import type { ServiceLogger } from '../http/service-types.js';

/**
 * Where a run is: still producing, ended normally, stopped through the stop route, or lost (its
 * owner stopped answering and another instance closed the log).
 *
 * @example
 * const done = (state: RunState) => state !== 'running';
 */
export type RunState = 'running' | 'finished' | 'stopped' | 'lost';

/**
 * What a store knows about one run. `firstSeq..lastSeq` are the frames still held (the log is
 * capped, so `firstSeq` can move past 1); `ended` is true once `[DONE]` was logged.
 *
 * @example
 * const info: RunInfo = { flowId: 'a1', flow: 'chat', variant: 'post', owner: 'i1', state: 'running',
 *   firstSeq: 1, lastSeq: 4, ended: false };
 */
export interface RunInfo {
  flowId: string;
  flow: string;
  variant: 'post' | 'event-source';
  owner: string;
  state: RunState;
  firstSeq: number;
  lastSeq: number;
  ended: boolean;
}

/**
 * A slice of a run's log: `frames[i]` has seq `firstSeq + i`. An empty slice has no frames.
 *
 * @example
 * const slice: LoggedFrames = { firstSeq: 3, frames: ['{"chunk":"a"}', '[DONE]'] };
 */
export interface LoggedFrames {
  firstSeq: number;
  frames: string[];
}

/**
 * The owner's handle on one run's log.
 *
 * @example
 * const writer = log.create({ flowId, flow: 'chat', variant: 'post' });
 * writer.append(['{"chunk":"Hel"}', '{"chunk":"lo"}']); // seqs 1 and 2
 * await writer.end('finished');
 */
export interface RunWriter {
  /** Logs frames at the next seqs, in order. Write-behind: it never throws and never waits. */
  append(frames: readonly string[]): void;
  /** Marks the run ended with `state`; the run's TTL counts from now. */
  end(state: RunState): Promise<void>;
  /** True once another instance declared the run lost: the owner then serves only its local readers. */
  readonly fenced: boolean;
}

/**
 * The `resume` config block as a store sees it (the defaults are in the config schema).
 *
 * @example
 * const config: ResumeConfig = { backend: 'memory', redis_url: '', key_prefix: 'flowllm', ttl_seconds: 3600,
 *   max_events_per_run: 20000, detach_seconds: 60, retry_ms: 1000, lease_seconds: 5 };
 */
export interface ResumeConfig {
  /** `none` (resume off, the wire unchanged), `memory` (one process) or `redis` (`@flowllm/redis`). @default 'none' */
  backend: 'none' | 'memory' | 'redis';
  /** `redis:` or `rediss:` URL, for `backend: redis`. @default '' */
  redis_url: string;
  /** Prefix of every Redis key and channel. @default 'flowllm' */
  key_prefix: string;
  /** How long an ended (or idle) run's log is kept. @default 3600 */
  ttl_seconds: number;
  /** Frames kept per run; older ones are dropped first. @default 20000 */
  max_events_per_run: number;
  /** How long a run with no reader keeps going before it is aborted (0 = abort on disconnect). @default 60 */
  detach_seconds: number;
  /** The SSE `retry:` hint sent on the first event. @default 1000 */
  retry_ms: number;
  /** The owner's heartbeat lease; bounds how fast a lost run is detected. @default 5 */
  lease_seconds: number;
}

/**
 * A store of run logs. `available` false makes the run routes answer 503; appends still go to local
 * readers.
 *
 * @example
 * const log: EventLog = createMemoryEventLog();
 * await log.start({ instanceId: 'i1', logger: consoleLogger, config });
 * for await (const slice of log.follow(flowId, 0, signal)) console.log(slice.firstSeq, slice.frames);
 */
export interface EventLog {
  /** A short name for logs: `memory`, `redis`. */
  readonly kind: string;
  /** False while the store cannot answer (run routes answer 503). */
  readonly available: boolean;
  /** Connects and starts background work; rejects when the store cannot be reached. */
  start(ctx: { instanceId: string; logger: ServiceLogger; config: ResumeConfig }): Promise<void>;
  /** Flushes pending appends and releases connections and timers. */
  close(): Promise<void>;
  /** Opens a new run's log; its seqs start at 1. */
  create(run: { flowId: string; flow: string; variant: RunInfo['variant'] }): RunWriter;
  /** The run, or undefined when unknown or expired. */
  info(flowId: string): Promise<RunInfo | undefined>;
  /** Up to `max` frames with seq > `afterSeq` (fewer, or none, when the log holds fewer). */
  read(flowId: string, afterSeq: number, max: number): Promise<LoggedFrames>;
  /** Frames after `afterSeq`: catches up, then tails live; ends after `[DONE]` or the lost frames. */
  follow(flowId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedFrames>;
  /** Asks the run's owner (on any instance) to stop it. */
  requestStop(flowId: string): Promise<void>;
  /** Called with a flow id when a stop was requested (locally or through another instance). */
  onStop(listener: (flowId: string) => void): void;
  /** Marks runs as having readers on this instance (remote detach accounting). */
  heartbeatReaders?(flowIds: readonly string[]): void;
  /**
   * Whether readers on another instance marked the run (through `heartbeatReaders`) within the lease:
   * the owner asks before aborting a run its own readers left. Optional (a one-process store has none).
   */
  hasRemoteReaders?(flowId: string): Promise<boolean>;
  /**
   * Names a run under `key` for the TTL (a chat's id → its latest run, for `useChat`'s resume); a new
   * name for the same key replaces the old one. Optional: without it such resumes find nothing (204).
   */
  setAlias?(key: string, flowId: string): Promise<void>;
  /** The run last named `key` (through `setAlias`), unless the name expired. */
  alias?(key: string): Promise<string | undefined>;
}
