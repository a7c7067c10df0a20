// Write-behind for appends and other writes: commands go out at once (pipelined, in order) while Redis is
// reachable; while it is not, they wait here (capped) and are sent in their original order on reconnect
// and by close(). A command whose reply was lost with the connection is sent again: every write is safe
// to repeat (the append script recognises its own entry).
import { isConnectionError, type RedisConn } from './connection.js';

interface Pending {
  order: number;
  args: readonly string[];
  onReply: (reply: unknown) => void;
  onDrop: ((error: unknown) => void) | undefined;
}

/**
 * An ordered, capped queue of commands in front of one connection.
 *
 * @example
 * const queue = new WriteQueue(conn, 10_000, (error) => logger.warn('write failed', { error }));
 * queue.push(['SET', 'k', 'v']);
 * await queue.flush();
 */
export class WriteQueue {
  private next = 0;
  private waiting: Pending[] = [];
  private readonly inFlight = new Set<Pending>();
  private idle: Array<() => void> = [];

  constructor(
    private readonly conn: RedisConn,
    private readonly cap: number,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Commands not yet answered. */
  get size(): number {
    return this.waiting.length + this.inFlight.size;
  }

  /**
   * Sends `args` now, or queues it while Redis is away. Returns false (and queues nothing) when the queue
   * is full: the caller decides what a dropped write means. `onDrop` gets an error reply (or the close);
   * without it the error is reported to the queue's `onFailure`. `pastCap`: queued even when full (one
   * closing write per run).
   */
  push(
    args: readonly string[],
    onReply: (reply: unknown) => void = () => {},
    onDrop?: (error: unknown) => void,
    { pastCap = false }: { pastCap?: boolean } = {},
  ): boolean {
    if (this.waiting.length >= this.cap && !pastCap) return false;
    const item: Pending = { order: this.next++, args, onReply, onDrop };
    if (this.waiting.length === 0 && this.conn.isReady) this.send(item);
    else this.waiting.push(item);
    return true;
  }

  /** Sends what waited; call when the connection is ready again. */
  resume(): void {
    // Replies of the old connection fail first; resending before they do would reorder.
    if (this.inFlight.size > 0 || !this.conn.isReady) return;
    const batch = this.waiting.sort((a, b) => a.order - b.order);
    this.waiting = [];
    for (const item of batch) this.send(item);
  }

  /** Resolves once nothing is waiting or in flight (or at `deadline`, a performance.now() time). */
  async flush(deadline: number): Promise<void> {
    this.resume();
    while (this.size > 0 && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.idle.push(resolve);
        setTimeout(resolve, 50).unref();
      });
      this.resume();
    }
  }

  /** Gives up on everything still queued (after close's flush deadline). */
  abandon(): void {
    const error = new Error('the resume store closed before these writes reached Redis');
    for (const item of this.waiting) item.onDrop?.(error);
    this.waiting = [];
  }

  private send(item: Pending): void {
    this.inFlight.add(item);
    this.conn.sendCommand(item.args).then(
      (reply) => {
        this.inFlight.delete(item);
        item.onReply(reply);
        if (this.waiting.length > 0) this.resume();
        this.settled();
      },
      (error: unknown) => {
        this.inFlight.delete(item);
        if (isConnectionError(error)) {
          this.waiting.push(item);
          this.resume();
        } else if (item.onDrop) item.onDrop(error);
        else this.onFailure(error);
        this.settled();
      },
    );
  }

  private settled(): void {
    if (this.size > 0) return;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}
