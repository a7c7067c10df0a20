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

/** A token carrying the time it was produced: `~<µs>~` (the client parses it out of any framing). */
export function token(): string {
  return `~${Math.round(nowUs())}~`;
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
    const delay =
      index > 0 && this.params.iv > 0 ? this.startedAt + index * this.params.iv - performance.now() : 0;
    if (delay <= 0) {
      this.produced++;
      return Promise.resolve({ value: token(), done: false });
    }
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.wake = undefined;
        this.timer = undefined;
        if (this.stopped) return resolve(DONE);
        this.produced++;
        resolve({ value: token(), done: false });
      }, delay);
    });
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
    this.timer = undefined;
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
  return {
    n: Number.isInteger(n) && n > 0 ? Math.min(n, 10_000_000) : 10,
    iv: Number.isFinite(iv) && iv > 0 ? iv : 0,
    idle: input.idle === true,
    id: typeof input.id === 'string' ? input.id : undefined,
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
