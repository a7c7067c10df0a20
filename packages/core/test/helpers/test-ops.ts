import { abortableSleep } from '../../src/models/abortable-sleep.js';
import { BaseOp } from '../../src/op/base-op.js';

/** A shared event log the test ops write to, reset per test. */
export const events: string[] = [];

/** Logs `start:<label>` and `end:<label>`, optionally after a pause, and records the flow id. */
export class LogOp extends BaseOp {
  static override options = { label: 'log', delay_ms: 0 };
  async execute(): Promise<void> {
    const label = this.option<string>('label');
    events.push(`start:${label}`);
    await abortableSleep(this.option<number>('delay_ms'), this.signal);
    events.push(`end:${label}`);
    const seen = this.context.get<string[] | undefined>('seen') ?? [];
    this.context.set('seen', [...seen, label]);
  }
}

/** Fails the first `fail_times` attempts (counted per instance). */
export class FlakyOp extends BaseOp {
  static override options = { fail_times: 1, stream_first: false };
  attempts = 0;
  override async before(): Promise<void> {
    events.push('before');
  }
  async execute(): Promise<void> {
    this.attempts++;
    events.push(`execute:${this.attempts}`);
    if (this.option<boolean>('stream_first')) await this.context.addStreamChunkAndType('partial');
    if (this.attempts <= this.option<number>('fail_times')) throw new Error(`boom ${this.attempts}`);
    this.context.response.answer = `ok after ${this.attempts}`;
  }
  override async after(): Promise<void> {
    events.push('after');
  }
}

/** Streams `count` answer chunks `token-<i>`, awaiting each (so it feels backpressure). */
export class CountOp extends BaseOp {
  static override options = { count: 3 };
  async execute(): Promise<void> {
    for (let i = 0; i < this.option<number>('count'); i++) {
      events.push(`produce:${i}`);
      await this.context.addStreamChunkAndType(`token-${i}`);
    }
  }
}

/** Waits until aborted, recording when the signal fired. */
export class WaitForAbortOp extends BaseOp {
  async execute(): Promise<void> {
    events.push('waiting');
    await new Promise<void>((_, reject) => {
      this.signal.addEventListener('abort', () => {
        events.push(`aborted:${String((this.signal.reason as Error)?.message)}`);
        reject(this.signal.reason);
      });
    });
  }
}

/** Sets the answer to the request's `query`, upper-cased. */
export class UpperOp extends BaseOp {
  async execute(): Promise<void> {
    this.context.response.answer = String(this.context.get('query')).toUpperCase();
  }
}

/** A container that runs its sub-ops in name order and lists them. */
export class ContainerOp extends BaseOp {
  async execute(): Promise<void> {
    for (const [name, op] of Object.entries(this.ops)) {
      events.push(`sub:${name}`);
      await op.run(this.context, this.signal);
    }
  }
}

export const testOps = [LogOp, FlakyOp, CountOp, WaitForAbortOp, UpperOp, ContainerOp];
