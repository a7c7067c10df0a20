// The instance's heartbeat: one `P:instance:<id>` key set with PX every lease/3 (one key per instance,
// not per run). The same tick polls the stop flag of the runs this instance owns, so a stop whose pub/sub
// message was lost still arrives, and refreshes their TTLs every ttl/4.

/**
 * What the lease tick does, supplied by the log.
 *
 * @example
 * const lease = new LeaseTimer(5, 3600, { renew, pollStops, refreshTtls });
 */
export interface LeaseWork {
  renew(): void;
  pollStops(): void;
  refreshTtls(): void;
}

/**
 * Runs {@link LeaseWork} on an unref()'d timer.
 *
 * @example
 * lease.start();
 * await log.close(); // calls lease.stop()
 */
export class LeaseTimer {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTtlRefresh = performance.now();

  constructor(
    private readonly leaseSeconds: number,
    private readonly ttlSeconds: number,
    private readonly work: LeaseWork,
  ) {}

  /** How often the tick runs: a third of the lease, so two missed ticks still keep it. */
  get periodMs(): number {
    return Math.max(10, (this.leaseSeconds * 1000) / 3);
  }

  start(): void {
    this.work.renew();
    this.timer = setInterval(() => this.tick(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.work.renew();
    this.work.pollStops();
    if (performance.now() - this.lastTtlRefresh >= (this.ttlSeconds * 1000) / 4) {
      this.lastTtlRefresh = performance.now();
      this.work.refreshTtls();
    }
  }
}
