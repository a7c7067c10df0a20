// One blocking XREAD per instance for every run it follows, on its own connection: no connection per
// reader. When the set of runs (or a cursor) changes, CLIENT UNBLOCK wakes the pending XREAD so the next
// one includes the change.
import type { RedisConn } from './connection.js';
import { entryId, seqOf } from './keys.js';

/** How long one XREAD blocks when nothing arrives. */
const BLOCK_MS = 5000;
/** Entries per stream and call. */
const COUNT = 256;

/** One stream entry as the log stores it: frames `firstSeq..lastSeq`. */
export interface LogEntry {
  firstSeq: number;
  lastSeq: number;
  frames: string[];
}

/**
 * A follower of one stream: it gets entries after `after` (its last seen seq) and moves `after` itself.
 *
 * @example
 * const watcher: TailWatcher = { key, after: 0, deliver: (entries) => queue.push(...entries) };
 */
export interface TailWatcher {
  readonly key: string;
  after: number;
  deliver(entries: LogEntry[]): void;
}

/**
 * The shared tailer of one instance.
 *
 * @example
 * const tailer = new Tailer(tailConn, commandConn);
 * const stop = tailer.watch({ key, after: 3, deliver });
 */
export class Tailer {
  private readonly watchers = new Map<string, Set<TailWatcher>>();
  private clientId: string | undefined;
  private running = false;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly conn: RedisConn,
    private readonly commands: RedisConn,
  ) {}

  /** Starts following; returns the function that stops. */
  watch(watcher: TailWatcher): () => void {
    let set = this.watchers.get(watcher.key);
    if (!set) {
      set = new Set();
      this.watchers.set(watcher.key, set);
    }
    set.add(watcher);
    this.changed();
    return () => {
      const current = this.watchers.get(watcher.key);
      if (!current) return;
      current.delete(watcher);
      if (current.size === 0) this.watchers.delete(watcher.key);
    };
  }

  /** A new connection gets a new client id (for CLIENT UNBLOCK). */
  reconnected(): void {
    this.clientId = undefined;
    this.changed();
  }

  close(): void {
    this.closed = true;
    this.changed();
  }

  private changed(): void {
    if (this.closed && !this.running) return;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (!this.running) {
      this.running = true;
      void this.loop();
      return;
    }
    // An XREAD may be blocked on the old set: wake it (it then answers as if it timed out).
    const id = this.clientId;
    if (id && this.commands.isReady) this.commands.sendCommand(['CLIENT', 'UNBLOCK', id]).catch(() => {});
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      if (this.watchers.size === 0 || !this.conn.isReady) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          // Not ready: look again soon (the 'ready' handler also wakes this).
          if (this.watchers.size > 0) setTimeout(resolve, 200).unref();
        });
        continue;
      }
      try {
        if (!this.clientId) this.clientId = String(await this.conn.sendCommand(['CLIENT', 'ID']));
        const keys = [...this.watchers.keys()];
        const ids = keys.map((key) =>
          entryId(Math.min(...[...(this.watchers.get(key) ?? [])].map((w) => w.after))),
        );
        const reply = await this.conn.sendCommand<XReadReply>([
          'XREAD',
          'COUNT',
          String(COUNT),
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          ...keys,
          ...ids,
        ]);
        for (const [key, raw] of reply ?? []) {
          const entries = raw.map(parseEntry);
          for (const watcher of [...(this.watchers.get(key) ?? [])]) watcher.deliver(entries);
        }
      } catch {
        // A lost connection: the 'error' listener reports it; wait for 'ready'.
        this.clientId = undefined;
        await new Promise((resolve) => setTimeout(resolve, 100).unref());
      }
    }
    this.running = false;
  }
}

/** XREAD's RESP2 reply: `[[key, [[id, [field, value, …]], …]], …]` or null on timeout. */
type XReadReply = Array<[string, RawEntry[]]> | null;
/** One raw entry: `[id, ['s', firstSeq, 'f', frames]]`. */
export type RawEntry = [string, string[]];

/**
 * A stored entry as frames with seqs. Frames are joined with `\n`, which a frame (an SSE data payload)
 * never contains.
 *
 * @example
 * parseEntry(['0-5', ['s', '4', 'f', 'a\nb']]); // { firstSeq: 4, lastSeq: 5, frames: ['a', 'b'] }
 */
export function parseEntry([id, fields]: RawEntry): LogEntry {
  let firstSeq = seqOf(id);
  let frames: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 's') firstSeq = Number(fields[i + 1]);
    else if (fields[i] === 'f') frames = String(fields[i + 1]).split('\n');
  }
  return { firstSeq, lastSeq: seqOf(id), frames };
}
