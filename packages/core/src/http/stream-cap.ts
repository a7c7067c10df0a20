import type { FlowStream } from '../engine/flow-stream.js';
import { HttpError } from './http-error.js';

// What `Retry-After` tells a refused client: long enough not to hammer a full server, short next to a
// stream's usual length.
export const RETRY_AFTER_SECONDS = 5;

/**
 * Counts a service's streams from the flow's start until the last chunk is read or the stream is
 * cancelled — on every transport, since each one reads the stream to its end or cancels it — and
 * refuses a new one beyond `max` (`http.max_streams`; 0 for no cap) with 503 and `Retry-After`.
 *
 * @example
 * const cap = new StreamCap(1000);
 * const stream = cap.admit(() => flow.stream(input, options));
 */
export class StreamCap {
  private count = 0;
  // One listener for every stream: no promise or closure per stream.
  private readonly release = () => {
    this.count--;
  };

  constructor(private readonly max: number) {}

  /** Streams open now. */
  get open(): number {
    return this.count;
  }

  /** Starts a stream with `start` and counts it, or throws 503 (before starting) when the cap is reached. */
  admit(start: () => FlowStream): FlowStream {
    this.refuseWhenFull();
    const stream = start();
    this.count++;
    stream.whenFinished(this.release);
    return stream;
  }

  /** Counts an open stream that is no flow of its own (a resumed run's reader); returns its release. */
  hold(): () => void {
    this.refuseWhenFull();
    this.count++;
    let held = true;
    return () => {
      if (held) this.count--;
      held = false;
    };
  }

  private refuseWhenFull(): void {
    if (this.max > 0 && this.count >= this.max) {
      throw new HttpError(
        503,
        `too many streams are open (http.max_streams is ${this.max}); retry in ${RETRY_AFTER_SECONDS} s`,
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
  }
}
