import { SSE_HEARTBEAT } from '../sse/encode.js';

/** A stream's entry: writers set `wrote` (a flag, not a clock read per write); the timer keeps the rest. */
export interface Beating {
  wrote: boolean;
  /** When the timer last saw the stream write or ping (its own clock; writers leave it alone). */
  quietSince: number;
  write(text: string): void;
}

/**
 * One shared, unref'd timer for every open stream of a service: a stream idle for `intervalMs` gets
 * a `: ping` comment so proxies keep the connection open (nginx and AWS ALB cut idle ones at 60 s).
 *
 * @example
 * const heartbeats = new Heartbeats(15_000);
 * heartbeats.add(stream); // … heartbeats.remove(stream) when it ends
 */
export class Heartbeats {
  private readonly streams = new Set<Beating>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly intervalMs: number) {}

  /** Starts beating for `stream` (nothing with an interval of 0); `remove` stops it. */
  add(stream: Beating): void {
    if (this.intervalMs <= 0) return;
    this.streams.add(stream);
    this.timer ??= this.start();
  }

  /** Stops beating for `stream`; the timer stops with the last one. */
  remove(stream: Beating): void {
    if (!this.streams.delete(stream) || this.streams.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private start(): ReturnType<typeof setInterval> {
    // Checking four times per interval keeps the longest silence under 1.25 intervals (see tick).
    const timer = setInterval(() => this.tick(), this.checkEveryMs);
    timer.unref?.();
    return timer;
  }

  private get checkEveryMs(): number {
    return Math.max(5, this.intervalMs / 4);
  }

  // A write happened within one check of the tick that saw it, so a stream is pinged once one check
  // short of the interval has passed since: its silence lasts between 0.75 and 1.25 intervals.
  private tick(): void {
    const now = performance.now();
    const due = this.intervalMs - this.checkEveryMs;
    for (const stream of this.streams) {
      if (stream.wrote) {
        stream.wrote = false;
        stream.quietSince = now;
      } else if (now - stream.quietSince >= due) {
        stream.quietSince = now;
        stream.write(SSE_HEARTBEAT);
      }
    }
  }
}
