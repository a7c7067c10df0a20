import { createChunk } from '../chunk.js';
import { FlowAbortedError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
import { errorMessage } from '../errors.js';
import { SseFramer } from '../http/sse-framer.js';
import type { LoggedFrames, RunInfo, RunState, RunWriter } from './event-log.js';
import { DONE_FRAME } from './memory-event-log.js';
import { RunAbandonedError } from './resume-errors.js';

/** How far (in events) the slowest attached reader may fall behind before the model is paused. */
export const READER_LAG_LIMIT = 64;

/**
 * A reader attached to a run on this instance: the seq it has written to its client.
 *
 * @example
 * const seat = run.attach(0); run.ack(seat, 5); run.detach(seat);
 */
export interface ReaderSeat {
  position: number;
}

/**
 * How a {@link LiveRun} is bounded and what it reports.
 *
 * @example
 * const options: LiveRunOptions = { maxEvents: 20000, detachMs: 60000, onEnd: () => runs.delete(id) };
 */
export interface LiveRunOptions {
  /** Frames kept for local readers (`resume.max_events_per_run`). */
  maxEvents: number;
  /** How long the run goes on with no reader before it is aborted; 0 aborts at once. */
  detachMs: number;
  /** Called once the run has logged its last frame. */
  onEnd: (run: LiveRun) => void;
  /** Whether readers on other instances follow the run (checked while the run has no reader here). */
  readersElsewhere?: () => Promise<boolean>;
  /**
   * How often a run with no reader here asks `readersElsewhere` (their marks last a lease).
   * @default detachMs
   */
  checkEveryMs?: number;
}

/**
 * One resumable run on its owner: the only consumer of the flow's stream. It turns each chunk into its
 * `data:` payload once, numbers it (`seq` 1, 2, …), logs a tick's frames in one append, and wakes the
 * local readers. The model is paused while the slowest attached reader is {@link READER_LAG_LIMIT}
 * events behind; a run nobody reads runs free until `detachMs` aborts it.
 *
 * @example
 * const run = new LiveRun(stream, writer, info, options);
 * run.start();
 */
export class LiveRun {
  /** The seq of the last frame produced. */
  lastSeq = 0;
  /** How the run ended, once it has. */
  state: RunState = 'running';
  private firstSeq = 1;
  private frames: string[] = [];
  private readonly seats = new Set<ReaderSeat>();
  private readonly waiters = new Set<() => void>();
  private resumeProducer: (() => void) | undefined;
  private detachTimer: ReturnType<typeof setTimeout> | undefined;
  private endError: FlowAbortedError | undefined;

  constructor(
    private readonly stream: FlowStream,
    private readonly writer: RunWriter,
    readonly info: Pick<RunInfo, 'flowId' | 'flow' | 'variant'>,
    private readonly options: LiveRunOptions,
  ) {}

  get flowId(): string {
    return this.info.flowId;
  }
  /** The run's usage so far (`response.metadata.usage`; ops such as StreamChatOp set it at the end). */
  get usage(): unknown {
    return this.stream.response.metadata.usage;
  }

  /** True once `[DONE]` was produced. */
  get ended(): boolean {
    return this.state !== 'running';
  }

  /** Starts pulling from the flow. */
  start(): void {
    this.pump().catch(() => {});
  }

  /** A new reader at `position` (it has seen seqs up to there). */
  attach(position: number): ReaderSeat {
    clearTimeout(this.detachTimer);
    this.detachTimer = undefined;
    const seat = { position };
    this.seats.add(seat);
    return seat;
  }

  /** The reader wrote up to `seq` to its client. */
  ack(seat: ReaderSeat, seq: number): void {
    seat.position = seq;
    if (this.resumeProducer && !this.lagging()) this.wakeProducer();
  }

  /** The reader is gone (a disconnect): the run goes on, and a run left with no reader may be aborted. */
  detach(seat: ReaderSeat): void {
    if (!this.seats.delete(seat)) return;
    this.wakeProducer();
    if (this.seats.size === 0 && !this.ended) this.armDetach();
  }

  /** Frames after `cursor` held here, or `gap` when they were dropped already. */
  after(cursor: number): LoggedFrames | 'gap' {
    if (cursor + 1 < this.firstSeq) return 'gap';
    const start = cursor + 1 - this.firstSeq;
    return { firstSeq: cursor + 1, frames: this.frames.slice(start) };
  }

  /** Resolves on the next frame, the end, or `signal`. */
  changed(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Aborts the run (the model request is closed); readers get `error.message` as a last error chunk. */
  abort(error: FlowAbortedError): void {
    if (this.ended) return;
    this.endError ??= error;
    this.stream.cancel(error);
    this.wakeProducer();
  }

  /**
   * A run with no reader here is aborted once nobody, here or on another instance, has read it for
   * `detachMs`. Readers elsewhere are asked every `checkEveryMs`: each answer that they are there
   * restarts the count, so a reader that comes and goes keeps the run alive, and one that left for
   * good lets it go `detachMs` later — not at the next check.
   */
  private armDetach(): void {
    clearTimeout(this.detachTimer);
    const { detachMs } = this.options;
    let lastRead = Date.now();
    const check = async () => {
      this.detachTimer = undefined;
      if (this.seats.size > 0 || this.ended) return;
      // 0 means a disconnect aborts at once, whoever else reads.
      const elsewhere = detachMs > 0 && (await this.options.readersElsewhere?.().catch(() => false)) === true;
      if (this.seats.size > 0 || this.ended) return;
      const now = Date.now();
      if (elsewhere) lastRead = now;
      const idle = now - lastRead;
      if (idle >= detachMs) return this.abort(new RunAbandonedError(detachMs / 1000));
      const every = this.options.checkEveryMs ?? detachMs;
      this.detachTimer = setTimeout(() => void check(), Math.max(1, Math.min(detachMs - idle, every)));
    };
    if (detachMs <= 0) return void check();
    this.detachTimer = setTimeout(
      () => void check(),
      Math.min(detachMs, this.options.checkEveryMs ?? detachMs),
    );
  }

  private lagging(): boolean {
    if (this.seats.size === 0) return false;
    for (const seat of this.seats) if (this.lastSeq - seat.position >= READER_LAG_LIMIT) return true;
    return false;
  }

  private wakeProducer(): void {
    const resume = this.resumeProducer;
    this.resumeProducer = undefined;
    resume?.();
  }

  private async pump(): Promise<void> {
    const framer = new SseFramer('post');
    let done = false;
    try {
      while (!done) {
        while (this.lagging() && !this.endError)
          await new Promise<void>((resolve) => {
            this.resumeProducer = resolve;
          });
        const first = await this.stream.next();
        if (first.done) break;
        // The rest of this tick's chunks join this append.
        await new Promise<void>(nextTick);
        const out: string[] = [];
        try {
          for (const chunk of [first.value, ...this.stream.takeQueued()]) {
            const payload = framer.frame(chunk).slice(5, -2);
            out.push(payload);
            if (payload === DONE_FRAME) done = true;
          }
        } catch {
          this.endError ??= new FlowAbortedError('the flow produced a chunk that cannot be encoded');
          this.stream.cancel(this.endError);
        }
        this.publish(out);
        if (this.endError && !done) break;
      }
      // Read the stream to its very end: only then does it count as finished (http.max_streams).
      if (done) while (!(await this.stream.next()).done);
    } catch (error) {
      this.endError ??= new FlowAbortedError(errorMessage(error));
    } finally {
      if (!done) {
        const reason = this.endError?.message ?? 'the stream ended';
        const error = JSON.stringify(createChunk(this.flowId, 'error', reason, { done: true }));
        this.publish([error, DONE_FRAME]);
      }
      this.state = done ? 'finished' : 'stopped';
      clearTimeout(this.detachTimer);
      this.wakeWaiters();
      try {
        await this.writer.end(this.state);
      } finally {
        this.options.onEnd(this);
      }
    }
  }

  private publish(frames: string[]): void {
    if (frames.length === 0) return;
    for (const frame of frames) this.frames.push(frame);
    this.lastSeq += frames.length;
    // Past the cap, the oldest frames go — but never one an attached reader has still to send (the
    // lag limit bounds how many that can be).
    let keepFrom = this.lastSeq - this.options.maxEvents + 1;
    for (const seat of this.seats) keepFrom = Math.min(keepFrom, seat.position + 1);
    const over = keepFrom - this.firstSeq;
    if (over > 0) {
      this.frames.splice(0, over);
      this.firstSeq += over;
    }
    this.writer.append(frames);
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

// process.nextTick where there is one, else a microtask.
const nextTick: (callback: () => void) => void =
  typeof process !== 'undefined' && typeof process.nextTick === 'function'
    ? (callback) => process.nextTick(callback)
    : (callback) => queueMicrotask(callback);
