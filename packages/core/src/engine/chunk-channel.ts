import { FlowllmError } from '../errors.js';
import { FlowAbortedError } from './flow-errors.js';
import { Latch } from './latch.js';

type Waiter = { resolve: () => void; reject: (reason: unknown) => void };

const RESOLVED = Promise.resolve();

// Chunks a stream buffers before its ops wait for the reader: enough that a writer sends a tick's
// tokens in one write (64 measured far faster than 16, see BENCHMARKS.md), few enough that a stalled
// client holds kilobytes, not the whole answer.
export const STREAM_HIGH_WATER_MARK = 64;

/**
 * A bounded queue between the ops that produce chunks and the one consumer that writes them.
 * `push` resolves at once while fewer than `highWaterMark` items wait, and otherwise only when the
 * consumer takes some — so a slow client slows the producer down instead of growing memory.
 *
 * @example
 * const channel = new ChunkChannel<string>(16, (reason) => controller.abort(reason));
 * await channel.push('a'); channel.close();
 * for await (const item of channel) console.log(item);
 */
export class ChunkChannel<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  // Made when a producer first waits for room (most streams never do).
  private producers: Waiter[] | undefined;
  private consumer: ((result: IteratorResult<T>) => void) | undefined;
  // Push mode (`onReadable`): told once per batch, re-armed by `takeQueued` or `takeEach`.
  private readableListener: (() => void) | undefined;
  private readableToldOnce = false;
  private closed = false;
  private cancelled = false;
  private cancelReason: unknown;
  // Its promise is made only when someone awaits `finished` (the stream cap listens without one).
  private readonly finishedLatch = new Latch();

  constructor(
    private readonly highWaterMark = STREAM_HIGH_WATER_MARK,
    private readonly onCancel?: (reason: unknown) => void,
  ) {
    if (!Number.isInteger(highWaterMark) || highWaterMark < 1) {
      throw new FlowllmError(
        'FLOWLLM_STREAM',
        `highWaterMark must be a whole number of at least 1, found ${highWaterMark}`,
      );
    }
  }

  /** Resolves once the consumer has had the end, or the channel was cancelled. */
  get finished(): Promise<void> {
    return this.finishedLatch.promise;
  }

  /** Calls `listener` once the consumer has had the end, or the channel was cancelled (no promise made). */
  whenFinished(listener: () => void): void {
    this.finishedLatch.whenOpen(listener);
  }

  /** True once the channel has ended (closed or cancelled) and nothing is left to take. */
  get ended(): boolean {
    return (this.closed || this.cancelled) && this.queue.length === 0;
  }

  /** Items waiting for the consumer. */
  get size(): number {
    return this.queue.length;
  }

  push(item: T): Promise<void> {
    if (this.cancelled) return Promise.reject(this.cancelReason);
    if (this.closed)
      return Promise.reject(new FlowllmError('FLOWLLM_STREAM', 'the stream has already ended'));
    this.enqueue(item);
    if (this.queue.length < this.highWaterMark) return RESOLVED;
    if (this.producers === undefined) this.producers = [];
    const producers = this.producers;
    return new Promise((resolve, reject) => producers.push({ resolve, reject }));
  }

  /** Adds an item without waiting for room (the engine's last error and done chunks). */
  pushFinal(item: T): void {
    if (!this.cancelled && !this.closed) this.enqueue(item);
  }

  /** No more items; the consumer ends after the queued ones. */
  close(): void {
    this.closed = true;
    this.wakeConsumer();
    this.tellReadable();
  }

  /** The consumer is gone: pending and later pushes reject with `reason`. Runs `onCancel` once. */
  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.cancelReason = reason;
    this.queue = [];
    if (this.producers) for (const producer of this.producers.splice(0)) producer.reject(reason);
    this.wakeConsumer();
    this.markFinished();
    this.tellReadable();
    this.onCancel?.(reason);
  }

  /**
   * Rejects producers waiting for room (the flow was aborted or timed out) but keeps what is queued,
   * so the consumer still gets it, and the producers stop at once instead of waiting for the reader.
   */
  interrupt(reason: unknown): void {
    if (this.producers) for (const producer of this.producers.splice(0)) producer.reject(reason);
  }

  /** Takes every queued item at once, so a writer can send chunks produced in the same tick in one write. */
  takeQueued(): T[] {
    const items = this.queue;
    this.queue = [];
    this.readableToldOnce = false;
    if (this.closed) this.markFinished();
    this.releaseProducers();
    return items;
  }

  /**
   * Hands every queued item to `each`, in order, and empties the queue — as `takeQueued`, without making
   * an array per batch (the pump runs this once per tick of every stream); `each` runs with `thisArg` as
   * its `this`, so a writer needs no closure per stream. If `each` throws, the
   * rest of the batch is dropped and the error passes on.
   */
  takeEach<C>(each: (this: C, item: T) => void, thisArg?: C): void {
    const items = this.queue;
    try {
      for (let i = 0; i < items.length; i++) each.call(thisArg as C, items[i]!);
    } finally {
      items.length = 0;
      this.readableToldOnce = false;
      if (this.closed) this.markFinished();
      this.releaseProducers();
    }
  }

  /**
   * Push mode, for a writer that sends a tick's items in one write without a promise per item:
   * `listener` runs when the first item of a batch arrives, and when the channel ends; the writer then
   * takes the batch with `takeQueued` (which re-arms it) and checks `ended`. It runs inside `push`, so
   * it should only schedule work (`takeEach` re-arms it too). Use either this or the async iterator, not both.
   */
  onReadable(listener: () => void): void {
    this.readableListener = listener;
    if (this.queue.length > 0 || this.closed || this.cancelled) this.tellReadable();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) {
      const value = this.queue.shift() as T;
      this.releaseProducers();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed || this.cancelled) {
      this.markFinished();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.consumer = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) this.cancel(new FlowAbortedError('the stream consumer stopped reading'));
    this.markFinished();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private markFinished(): void {
    this.finishedLatch.open();
  }

  private enqueue(item: T): void {
    if (this.consumer) {
      const consumer = this.consumer;
      this.consumer = undefined;
      consumer({ value: item, done: false });
      return;
    }
    this.queue.push(item);
    if (!this.readableToldOnce) this.tellReadable();
  }

  private tellReadable(): void {
    if (this.readableListener === undefined || this.readableToldOnce) return;
    this.readableToldOnce = true;
    this.readableListener();
  }

  private wakeConsumer(): void {
    if (this.consumer && this.queue.length === 0) {
      const consumer = this.consumer;
      this.consumer = undefined;
      this.markFinished();
      consumer({ value: undefined, done: true });
    }
  }

  private releaseProducers(): void {
    // (Checked first: this runs once per batch, and splice makes an array even when nobody waits.)
    if (this.producers !== undefined && this.producers.length > 0 && this.queue.length < this.highWaterMark) {
      for (const producer of this.producers.splice(0)) producer.resolve();
    }
  }
}
