// The in-process "LLM" every target streams from: the same iterator, the same tokens, the same clock.

/** What a request asks the model for (the JSON body every target receives). */
export interface ModelParams {
  /** Tokens to produce. */
  n: number;
  /** Milliseconds between tokens; 0 = as fast as the consumer pulls (the "instant" model). */
  iv: number;
  /** After the first token, wait until aborted (an idle open stream). */
  idle?: boolean;
  /** Set on disconnect trials: the server reports when this model stops early. */
  id?: string;
  /**
   * Instant model only: tokens handed over per tick (K). A provider stream yields one token per socket
   * read, so K = 1 is the realistic case; each group of K then waits for the next turn of the event loop.
   * Unset: every token in the same tick, as fast as the consumer pulls (what `modelParams` never gives;
   * the in-process micro benches use it).
   */
  k?: number;
  /** Each token is padded with `x` to at least this many characters (the chunk size; 0 = the stamp only). */
  size?: number;
  /** Tokens are `~<index>~` instead of time stamps: the same bytes on every run (the identical-bytes check). */
  fixed?: boolean;
}

/**
 * Microseconds on the machine-wide monotonic clock: `process.hrtime()` reads CLOCK_MONOTONIC, which
 * every process shares, so stamps compare across the server and the client processes. (Not
 * `performance.now()` plus an offset: measured, that offset moves by milliseconds during start-up.)
 */
export function nowUs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e6 + nanos / 1e3;
}

/**
 * A token carrying the time it was produced: `~<µs>~` (the client parses it out of any framing),
 * padded with `x` to `size` characters.
 */
export function token(size = 0, stamp = Math.round(nowUs())): string {
  const text = `~${stamp}~`;
  return text.length >= size ? text : text + 'x'.repeat(size - text.length);
}

/** Where early stops are reported (the server process sends them to the orchestrator). */
let stopReporter: ((id: string, atUs: number) => void) | undefined;

export function onModelStop(reporter: (id: string, atUs: number) => void): void {
  stopReporter = reporter;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The model: an async iterator of tokens. It stops when `signal` aborts or when its consumer calls
 * `return()` — what cancelling a real LLM request looks like — and reports that moment if it has an id.
 */
export class BenchModel implements AsyncIterableIterator<string> {
  private produced = 0;
  private readonly startedAt = performance.now();
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private wake: ((result: IteratorResult<string>) => void) | undefined;

  constructor(
    private readonly params: ModelParams,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  next(): Promise<IteratorResult<string>> {
    if (this.stopped || this.signal?.aborted) return Promise.resolve(DONE);
    const index = this.produced;
    if (index >= this.params.n) return Promise.resolve(DONE);
    // Idle: no timer, only a pending promise, so the model itself adds almost nothing per stream.
    if (index > 0 && this.params.idle) return new Promise((resolve) => (this.wake = resolve));
    const { iv, k } = this.params;
    // Instant model: a new group of K tokens starts on the next turn of the event loop, as the next
    // socket read of a provider stream would.
    if (iv <= 0 && k !== undefined && index > 0 && index % k === 0) {
      return new Promise((resolve) => {
        this.wake = resolve;
        this.immediate = setImmediate(() => {
          this.wake = undefined;
          this.immediate = undefined;
          resolve(this.stopped ? DONE : this.produce());
        });
      });
    }
    const delay = index > 0 && iv > 0 ? this.startedAt + index * iv - performance.now() : 0;
    if (delay <= 0) return Promise.resolve(this.produce());
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.wake = undefined;
        this.timer = undefined;
        resolve(this.stopped ? DONE : this.produce());
      }, delay);
    });
  }

  private produce(): IteratorResult<string> {
    const index = this.produced++;
    const { size, fixed } = this.params;
    return { value: fixed ? token(size, index) : token(size), done: false };
  }

  return(): Promise<IteratorResult<string>> {
    this.stop();
    return Promise.resolve(DONE);
  }

  /** Stops producing (the upstream request is cancelled); reports it when the stop is early. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const wake = this.wake;
    this.wake = undefined;
    wake?.(DONE);
    if (this.params.id !== undefined && this.produced < this.params.n)
      stopReporter?.(this.params.id, nowUs());
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Reads the model parameters out of a parsed JSON body (tolerant: bad values become defaults). */
export function modelParams(body: unknown): ModelParams {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const n = Number(input.n);
  const iv = Number(input.iv);
  const k = Number(input.k);
  const size = Number(input.size);
  return {
    n: Number.isInteger(n) && n > 0 ? Math.min(n, 10_000_000) : 10,
    iv: Number.isFinite(iv) && iv > 0 ? iv : 0,
    idle: input.idle === true,
    id: typeof input.id === 'string' ? input.id : undefined,
    // K = 1 unless asked: one token per tick, as a provider stream delivers them.
    k: Number.isInteger(k) && k > 0 ? k : 1,
    size: Number.isInteger(size) && size > 0 ? Math.min(size, 1 << 20) : 0,
    fixed: input.fixed === true,
  };
}

/** The flow id every chunk of the bench carries (FlowLLM's 32 hex characters). */
export const BENCH_FLOW_ID = '0123456789abcdef0123456789abcdef';

/** The chunk object of one token, as FlowLLM puts it on the wire (fields in FlowLLM's order). */
export function chunkObject(tok: string): {
  flow_id: string;
  chunk_type: 'answer';
  chunk: string;
  done: boolean;
  metadata: Record<string, never>;
} {
  return { flow_id: BENCH_FLOW_ID, chunk_type: 'answer', chunk: tok, done: false, metadata: {} };
}
