// The owner's side of one run: appends as fenced EVALs through the write queue, the end state, TTLs.
import type { RunState, RunWriter } from '@flowllm/core/adapter';
import { APPEND_SCRIPT, APPEND_SHA, CLOSE_SCRIPT } from './fence-scripts.js';
import { DONE, incompleteChunk } from './frames.js';
import { type Started, ttlOf } from './store-context.js';

/**
 * The owner's writer: appends go through the write queue as fenced EVALs (see fence-scripts.ts).
 *
 * @example
 * const writer = log.create({ flowId, flow: 'chat', variant: 'post' });
 */
export class RedisRunWriter implements RunWriter {
  private lastSeq = 0;
  private ended = false;
  private fencedFlag = false;
  stopNotified = false;

  constructor(
    private readonly flowId: string,
    private readonly s: Started,
    private readonly release: () => void,
  ) {}

  get fenced(): boolean {
    return this.fencedFlag;
  }

  append(frames: readonly string[]): void {
    if (this.ended || this.fencedFlag || frames.length === 0) return;
    const previous = this.lastSeq;
    this.lastSeq += frames.length;
    const keep = Math.max(1, this.lastSeq - this.s.config.max_events_per_run + 1);
    const args = [
      this.s.keys.log(this.flowId),
      String(previous),
      String(this.lastSeq),
      String(previous + 1),
      frames.join('\n'),
      String(keep),
    ];
    const onReply = (reply: unknown) => {
      if (reply === 0 || reply === -1)
        this.fence(reply === 0 ? 'another instance closed its log' : 'its log is gone');
    };
    const queued = this.s.queue.push(['EVALSHA', APPEND_SHA, '1', ...args], onReply, (error) => {
      // The script cache was emptied (SCRIPT FLUSH): send the text; the script recognises a repeat.
      if (String((error as Error)?.message).startsWith('NOSCRIPT'))
        this.s.queue.push(['EVAL', APPEND_SCRIPT, '1', ...args], onReply);
      else this.fence(`a write failed: ${String((error as Error)?.message).slice(0, 200)}`, true);
    });
    if (!queued) this.fence('too many writes were held while Redis was unreachable', true);
    else if (previous === 0)
      this.s.queue.push(['EXPIRE', this.s.keys.log(this.flowId), String(ttlOf(this.s))]);
  }

  async end(state: RunState): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.release();
    if (this.fencedFlag) return;
    const ttl = String(ttlOf(this.s));
    const meta = this.s.keys.meta(this.flowId);
    this.s.queue.push(['HSET', meta, 'state', state]);
    this.s.queue.push(['EXPIRE', meta, ttl]);
    if (!this.s.commands.isReady) {
      this.s.queue.push(['EXPIRE', this.s.keys.log(this.flowId), ttl]);
      return;
    }
    await new Promise<void>((resolve) => {
      const pushed = this.s.queue.push(
        ['EXPIRE', this.s.keys.log(this.flowId), ttl],
        () => resolve(),
        () => resolve(),
      );
      if (!pushed) resolve();
    });
  }

  /** Pushes the run's expiry forward while it runs (the lease tick calls it every ttl/4). */
  refreshTtl(): void {
    const ttl = String(ttlOf(this.s));
    this.s.queue.push(['EXPIRE', this.s.keys.meta(this.flowId), ttl]);
    if (this.lastSeq > 0) this.s.queue.push(['EXPIRE', this.s.keys.log(this.flowId), ttl]);
  }

  /**
   * Stops writing to Redis; local readers are served by the live run. `close`: the log has a hole, so
   * end it for remote readers (after whatever reached Redis) rather than let them wait for the owner.
   */
  private fence(why: string, close = false): void {
    if (this.fencedFlag) return;
    this.fencedFlag = true;
    this.s.logger.warn(`resume store: run ${this.flowId} is served to local readers only: ${why}`, {
      flowId: this.flowId,
    });
    if (!close) return;
    const frames = `${incompleteChunk(this.flowId)}\n${DONE}`;
    const keys = [this.s.keys.log(this.flowId), this.s.keys.meta(this.flowId)];
    this.s.queue.push(
      ['EVAL', CLOSE_SCRIPT, '2', ...keys, frames, String(ttlOf(this.s))],
      undefined,
      undefined,
      {
        pastCap: true,
      },
    );
  }
}
