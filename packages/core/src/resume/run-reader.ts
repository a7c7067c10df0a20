import type { StreamVariant } from '../http/sse-framer.js';
import type { EventLog, LoggedFrames } from './event-log.js';
import type { LiveRun, ReaderSeat } from './live-run.js';
import { DONE_FRAME } from './memory-event-log.js';

/**
 * One client reading a run: the frames after `cursor`, exactly once and in order — from the run itself
 * when it is live on this instance, else from the store's `follow()`. A frame whose seq is not
 * `cursor + 1` is either old (skipped) or past a gap: then the read ends and `gap` is set, never
 * skipping. `cancel()` detaches the reader; it never aborts the run.
 *
 * @example
 * const reader = new RunReader({ flowId, variant: 'post', after: 0, log, live });
 * for await (const slice of reader.batches()) send(slice);
 */
export class RunReader {
  readonly flowId: string;
  /** The framing its response uses: `post` ids (`id:7`) or EventSource ids (`id:<flow_id>:7`). */
  readonly variant: StreamVariant;
  /** The seq of the last frame handed out. */
  cursor: number;
  /** True when the log had a hole after `cursor`: the read ended early. */
  gap = false;
  private readonly log: EventLog;
  private readonly live: LiveRun | undefined;
  private readonly seat: ReaderSeat | undefined;
  private readonly controller = new AbortController();
  private readonly closeListeners: (() => void)[] = [];

  constructor(options: {
    flowId: string;
    variant: StreamVariant;
    after: number;
    log: EventLog;
    live?: LiveRun;
    /** Called once when the reader is cancelled. */
    onClose?: () => void;
  }) {
    if (options.onClose) this.closeListeners.push(options.onClose);
    this.flowId = options.flowId;
    this.variant = options.variant;
    this.cursor = options.after;
    this.log = options.log;
    this.live = options.live && !options.live.ended ? options.live : undefined;
    this.seat = this.live?.attach(this.cursor);
  }

  /** Calls `listener` once the reader is cancelled (at once if it already was). */
  whenClosed(listener: () => void): void {
    if (this.controller.signal.aborted) listener();
    else this.closeListeners.push(listener);
  }

  /** The run's usage (`response.metadata.usage`) when it runs on this instance, else undefined. */
  get usage(): unknown {
    return this.live?.usage;
  }

  /** Whether the reader was cancelled (its client left). */
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** The frames after `cursor`, in slices; ends after `[DONE]`, on a gap, or when cancelled. */
  async *batches(): AsyncGenerator<LoggedFrames> {
    if (this.live) yield* this.fromLive(this.live);
    else yield* this.fromLog();
  }

  /** Its client has been sent everything up to `seq` (the run's slow-reader pause counts on this). */
  ack(seq: number): void {
    if (this.seat) this.live?.ack(this.seat, seq);
  }

  /** Detaches: the run goes on (until `detach_seconds` with no reader at all). */
  cancel(_reason?: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    if (this.seat) this.live?.detach(this.seat);
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private async *fromLive(live: LiveRun): AsyncGenerator<LoggedFrames> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const slice = live.after(this.cursor);
      if (slice === 'gap') {
        this.gap = true;
        return;
      }
      const fresh = this.take(slice);
      if (fresh) {
        yield fresh;
        if (fresh.frames[fresh.frames.length - 1] === DONE_FRAME) return;
        continue;
      }
      if (live.ended) return;
      await live.changed(signal);
    }
  }

  private async *fromLog(): AsyncGenerator<LoggedFrames> {
    const signal = this.controller.signal;
    let last: string | undefined;
    for await (const slice of this.log.follow(this.flowId, this.cursor, signal)) {
      if (signal.aborted) return;
      if (slice.firstSeq > this.cursor + 1) {
        this.gap = true;
        return;
      }
      const fresh = this.take(slice);
      if (!fresh) continue;
      last = fresh.frames[fresh.frames.length - 1];
      yield fresh;
      if (last === DONE_FRAME) return;
    }
    // The log ended (expired, lost) before its `[DONE]`: the reader cannot have it all.
    if (!signal.aborted && last !== DONE_FRAME) this.gap = true;
  }

  /** The part of `slice` past the cursor (moving the cursor on), or undefined when nothing is new. */
  private take(slice: LoggedFrames): LoggedFrames | undefined {
    const skip = this.cursor + 1 - slice.firstSeq;
    if (skip < 0) return undefined;
    const frames = skip === 0 ? slice.frames : slice.frames.slice(skip);
    if (frames.length === 0) return undefined;
    this.cursor += frames.length;
    return { firstSeq: this.cursor - frames.length + 1, frames };
  }
}
