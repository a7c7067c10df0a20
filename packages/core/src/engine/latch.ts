/**
 * A one-way "it happened" flag that makes a promise only when someone asks for one: an idle stream
 * keeps a few of these, and most are never awaited (a resolved promise, its resolve function and their
 * context cost ~0.2 KB each, for as long as the stream is open).
 *
 * @example
 * const finished = new Latch();
 * finished.whenOpen(() => console.log('finished'));
 * finished.open();
 * await finished.promise; // already resolved
 */
export class Latch {
  /** True once `open` ran. */
  isOpen = false;
  private made: Promise<void> | undefined;
  private resolve: (() => void) | undefined;
  private listeners: (() => void) | (() => void)[] | undefined;

  /** Resolves once the latch is open (made on first use). */
  get promise(): Promise<void> {
    if (this.made === undefined) {
      this.made = this.isOpen
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.resolve = resolve;
          });
    }
    return this.made;
  }

  /** Calls `listener` once the latch is open: now if it is, else on `open` (no promise involved). */
  whenOpen(listener: () => void): void {
    if (this.isOpen) listener();
    else if (this.listeners === undefined) this.listeners = listener;
    else if (typeof this.listeners === 'function') this.listeners = [this.listeners, listener];
    else this.listeners.push(listener);
  }

  /** Opens the latch (once; later calls do nothing): resolves the promise and calls the listeners. */
  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    const { resolve, listeners } = this;
    this.resolve = undefined;
    this.listeners = undefined;
    resolve?.();
    if (typeof listeners === 'function') listeners();
    else if (listeners) for (const listener of listeners) listener();
  }
}
