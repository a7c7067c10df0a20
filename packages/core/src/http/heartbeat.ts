import { SSE_HEARTBEAT } from '../sse/encode.js';

interface Beating {
  lastWriteAt: number;
  write(text: string): void;
}

/**
 * One shared, unref'd timer for every open stream of a service: a stream idle for `intervalMs` gets
 * a `: ping` comment so proxies keep the connection open (nginx and AWS ALB cut idle ones at 60 s).
 *
 * @example
 * const heartbeats = new Heartbeats(15_000);
 * const stop = heartbeats.add(stream);
 */
export class Heartbeats {
  private readonly streams = new Set<Beating>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly intervalMs: number) {}

  /** Starts beating for `stream`; returns the function that stops. 0 ms means heartbeats are off. */
  add(stream: Beating): () => void {
    if (this.intervalMs <= 0) return () => {};
    this.streams.add(stream);
    this.timer ??= this.start();
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private start(): ReturnType<typeof setInterval> {
    // Checking four times per interval keeps the longest silence under 1.25 intervals.
    const timer = setInterval(() => this.tick(), Math.max(5, this.intervalMs / 4));
    timer.unref?.();
    return timer;
  }

  private tick(): void {
    const now = performance.now();
    for (const stream of this.streams) {
      if (now - stream.lastWriteAt >= this.intervalMs) {
        stream.lastWriteAt = now;
        stream.write(SSE_HEARTBEAT);
      }
    }
  }
}
