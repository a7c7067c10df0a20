import type { CallState } from './upstream-errors.js';

/** What one attempt gets: the signal to give the SDK, and hooks that tell the call how far it got. */
export interface Attempt {
  readonly signal: AbortSignal;
  /** The provider accepted the request (success status, stream open). */
  opened(): void;
  /** An event arrived: restarts the idle timeout. */
  touch(): void;
}

/** A streaming attempt: it also passes on why the model stopped. */
export interface StreamAttempt extends Attempt {
  /** The provider said why the model stopped (its finish or stop reason). */
  finished(reason: string): void;
}

/**
 * One attempt's abort controller and idle timer: it aborts when the caller's signal does, or when
 * `timeout` passes without an answer or an event. Disposing aborts too, which closes the connection.
 * The timer does not keep the process alive.
 *
 * @example
 * const call = new AttemptCall(120_000, options.signal);
 * try { await run(call); } finally { call.dispose(); }
 */
export class AttemptCall implements Attempt {
  readonly state: CallState = { opened: false, events: 0, timedOut: false };
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.resume();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  opened(): void {
    this.state.opened = true;
    this.resume();
  }

  touch(): void {
    this.state.events++;
    this.resume();
  }

  /** Stops the idle timer while the consumer holds a chunk (a slow client is not a stalled provider). */
  pause(): void {
    clearTimeout(this.timer);
  }

  resume(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.state.timedOut = true;
      this.controller.abort(new Error('upstream timeout'));
    }, this.timeoutMs);
    this.timer.unref?.();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort(new Error('the call ended'));
  }
}
