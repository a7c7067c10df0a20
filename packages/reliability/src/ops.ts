import { abortableSleep, BaseOp, type OpClass } from '@flowllm/core/ops';

/**
 * Holds streams at a barrier until the test opens it, so N streams are provably open at once.
 * Module state: one per test file (vitest isolates files).
 */
export class Gate {
  /** Streams that reached the gate since the last reset. */
  arrived = 0;
  private opened = false;
  private readonly waiters = new Set<() => void>();

  reset(): void {
    this.arrived = 0;
    this.opened = false;
    this.waiters.clear();
  }

  open(): void {
    this.opened = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Counts the caller, then waits for `open()` (or the abort). */
  pass(signal: AbortSignal): Promise<void> {
    this.arrived++;
    if (this.opened) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export const gate = new Gate();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Streams `count` answer chunks `<query>:<seq>` (the client's own tag, so a chunk that reaches the wrong
 * stream is caught too). After chunk 0 it waits at the gate when `gate=true`; `burst` chunks are produced
 * per event-loop turn; `delay_ms` pauses between chunks.
 */
export class SeqStreamOp extends BaseOp {
  static override options = { count: 10, burst: 1, gate: false, delay_ms: 0, pad: 0 };
  async execute(): Promise<void> {
    const signal = this.signal;
    const tag = String(this.context.get('query'));
    const count = this.option<number>('count');
    const burst = Math.max(1, this.option<number>('burst'));
    const delay = this.option<number>('delay_ms');
    const pad = this.option<number>('pad') > 0 ? `:${'x'.repeat(this.option<number>('pad'))}` : '';
    for (let i = 0; i < count; i++) {
      if (i === 1 && this.option<boolean>('gate')) await gate.pass(signal);
      if (delay > 0 && i > 0) await abortableSleep(delay, signal);
      else if (i % burst === 0 && i > 0) await nextTurn();
      signal.throwIfAborted();
      await this.context.addStreamChunkAndType(`${tag}:${i}${pad}`);
    }
  }
}

/** One chunk, `idle_ms` of silence, one more chunk: a stream a proxy would cut without heartbeats. */
export class IdleStreamOp extends BaseOp {
  static override options = { idle_ms: 1000 };
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('before-idle');
    await abortableSleep(this.option<number>('idle_ms'), this.signal);
    await this.context.addStreamChunkAndType('after-idle');
  }
}

/** What a careless op might throw: a message with a path, a key and a stack. Must never reach a client. */
export const LEAKY_SECRET = 'sk-live-reliability-0123456789abcdef';
export const LEAKY_PATH = '/srv/app/secrets/reliability-credentials.json';

export class LeakyFailOp extends BaseOp {
  static override options = { stream_first: false };
  async execute(): Promise<void> {
    if (this.option<boolean>('stream_first')) await this.context.addStreamChunkAndType('partial');
    const error = new Error(`ENOENT: open '${LEAKY_PATH}' failed with key ${LEAKY_SECRET}`);
    (error as { path?: string }).path = LEAKY_PATH;
    throw error;
  }
}

/** The ops the suite's configs use (with the built-in ones). */
export const reliabilityOps: OpClass[] = [SeqStreamOp, IdleStreamOp, LeakyFailOp];
