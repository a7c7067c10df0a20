// The two sizes of the suite: `ci` (the `test` script, a few minutes on 2 cores, with the rest of the
// repo's tests) and `full` (`pnpm reliability`). Both prove the same things; only counts and times change.

export type SizeName = 'ci' | 'full';

export interface Sizes {
  name: SizeName;
  soak: {
    /** Streams held open at once, per adapter and round. */
    streams: number;
    /** Chunks per stream, each with its sequence number. */
    chunks: number;
    /** Rounds after the warm-up; memory is measured after each. */
    rounds: number;
    /** Chunks produced per event-loop turn (1 = one chunk per turn: the most writes). */
    burst: number;
  };
  upstreamFaults: {
    /** Streams per fault kind, per provider and adapter, all at once. */
    perFault: number;
    /** Healthy streams running next to them. */
    healthy: number;
  };
  clientFaults: {
    /** Disconnects per adapter (spread over the moments: before headers, mid-stream, during drain). */
    disconnects: number;
    /** Requests in flight at once. */
    concurrency: number;
  };
  fuzz: {
    /** Runs per fast-check property. */
    runs: number;
  };
  nginx: {
    /** `proxy_read_timeout`, seconds. */
    readTimeout: number;
    /** How long the stream stays silent, seconds (longer than the read timeout). */
    idle: number;
    /** `http.heartbeat`, seconds. */
    heartbeat: number;
  };
  http2: {
    /** Concurrent streams per session. */
    streams: number;
    /** Sessions at once. */
    sessions: number;
    chunks: number;
  };
  /** Bytes a client claims (Content-Length) or sends (chunked) for the body-limit test. */
  hugeBody: number;
  resume: {
    /** Runs through two instances behind nginx, each dropped and resumed at random points. */
    runs: number;
    /** Runs in flight at once. */
    concurrency: number;
  };
}

const SIZES: Record<SizeName, Sizes> = {
  ci: {
    name: 'ci',
    soak: { streams: 200, chunks: 50, rounds: 3, burst: 4 },
    upstreamFaults: { perFault: 3, healthy: 10 },
    clientFaults: { disconnects: 60, concurrency: 30 },
    fuzz: { runs: 2_000 },
    nginx: { readTimeout: 2, idle: 5, heartbeat: 0.5 },
    http2: { streams: 50, sessions: 2, chunks: 50 },
    hugeBody: 100 * 1024 * 1024,
    resume: { runs: 60, concurrency: 20 },
  },
  full: {
    name: 'full',
    soak: { streams: 2_000, chunks: 200, rounds: 3, burst: 4 },
    upstreamFaults: { perFault: 20, healthy: 100 },
    clientFaults: { disconnects: 500, concurrency: 50 },
    fuzz: { runs: 50_000 },
    nginx: { readTimeout: 5, idle: 12, heartbeat: 2 },
    http2: { streams: 500, sessions: 4, chunks: 200 },
    hugeBody: 100 * 1024 * 1024,
    resume: { runs: 500, concurrency: 50 },
  },
};

/** The size of this run: `RELIABILITY_SIZE=full` or the CI size. */
export const SIZE: Sizes = SIZES[process.env.RELIABILITY_SIZE === 'full' ? 'full' : 'ci'];

/** A time budget that scales with the size (CI budgets are for a loaded 2-core machine). */
export function budgetMs(ci: number, full: number): number {
  return SIZE.name === 'full' ? full : ci;
}
