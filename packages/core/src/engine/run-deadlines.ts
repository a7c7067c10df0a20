import { FlowTimeoutError } from './flow-errors.js';

// setTimeout's longest delay; a later deadline is re-checked when this one fires.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The `timeout` of one flow's runs, on one shared, unref'd timer instead of a `setTimeout` per run
 * (a Timeout and its closure per open stream, ~0.3 KB). Every run of a flow has the same timeout, so
 * deadlines come in the order runs start: a Map in insertion order is the queue, and a run that ends
 * leaves it in O(1). The timer is armed for the earliest deadline; a run is aborted with
 * `FlowTimeoutError` once `performance.now()` has reached its own deadline, never before.
 *
 * @example
 * const deadlines = new RunDeadlines('chat', 30);
 * deadlines.add(controller); // aborts it 30 s from now
 * deadlines.delete(controller); // the run ended first
 */
export class RunDeadlines {
  private readonly runs = new Map<AbortController, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly fire = () => this.expire();

  constructor(
    private readonly flowName: string,
    private readonly seconds: number,
  ) {}

  /** Runs waiting for their deadline. */
  get size(): number {
    return this.runs.size;
  }

  /** Whether the shared timer is set (it is exactly while some run waits). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Aborts `controller` with the flow's timeout error `seconds` from now, unless deleted first. */
  add(controller: AbortController): void {
    const deadline = performance.now() + this.seconds * 1000;
    this.runs.set(controller, deadline);
    if (this.timer === undefined) this.arm(deadline);
  }

  /** The run ended: it leaves the queue (and the timer stops when no run is left). */
  delete(controller: AbortController): void {
    if (!this.runs.delete(controller) || this.runs.size > 0 || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(deadline: number): void {
    const delay = Math.min(MAX_DELAY_MS, Math.max(1, Math.ceil(deadline - performance.now())));
    this.timer = setTimeout(this.fire, delay);
    this.timer.unref?.();
  }

  private expire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (const [controller, deadline] of this.runs) {
      if (deadline > now) break;
      this.runs.delete(controller);
      controller.abort(new FlowTimeoutError(this.flowName, this.seconds));
    }
    // An abort listener may have started a run (arming the timer for its later deadline): re-arm for
    // the earliest one left.
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const earliest = this.runs.values().next();
    if (!earliest.done) this.arm(earliest.value);
  }
}
