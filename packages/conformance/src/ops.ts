import { abortableSleep, BaseOp, type OpClass } from '@flowllm/core/ops';

/** What the probe ops saw; module state, so one per test file (vitest isolates files). Reset per test. */
export const probe = {
  produced: 0,
  finished: false,
  /** A SleepOp has started sleeping: the flow is running and has shown no sign of life. */
  sleeping: false,
  abortedAt: undefined as number | undefined,
  reset(): void {
    probe.produced = 0;
    probe.finished = false;
    probe.sleeping = false;
    probe.abortedAt = undefined;
  },
};

/** Notes in `probe.abortedAt` when `signal` aborts. */
function recordAbort(signal: AbortSignal): void {
  signal.addEventListener(
    'abort',
    () => {
      probe.abortedAt = performance.now();
    },
    { once: true },
  );
}

/** Streams `count` answer chunks `<i>:<size × x>`, counting each before it is handed to the stream. */
export class ProbeStreamOp extends BaseOp {
  static override options = { count: 10, size: 0, delay_ms: 0 };
  async execute(): Promise<void> {
    const signal = this.signal;
    recordAbort(signal);
    const pad = 'x'.repeat(this.option<number>('size'));
    for (let i = 0; i < this.option<number>('count'); i++) {
      if (i > 0) await abortableSleep(this.option<number>('delay_ms'), signal);
      probe.produced++;
      await this.context.addStreamChunkAndType(`${i}:${pad}`);
    }
    probe.finished = true;
  }
}

/** Fails with a plain Error whose message must never reach a client unless errors are exposed. */
export class SecretFailOp extends BaseOp {
  static override options = { stream_first: false };
  async execute(): Promise<void> {
    if (this.option<boolean>('stream_first')) await this.context.addStreamChunkAndType('partial');
    throw new Error('secret internals');
  }
}

/** Sleeps without any sign of life (no model connects, no chunk), honouring the abort signal. */
export class SleepOp extends BaseOp {
  static override options = { ms: 1000 };
  async execute(): Promise<void> {
    recordAbort(this.signal);
    probe.sleeping = true;
    await abortableSleep(this.option<number>('ms'), this.signal);
  }
}

/** The ops every conformance config may use; targets register them with `createFlowApp({ ops })`. */
export const conformanceOps: OpClass[] = [ProbeStreamOp, SecretFailOp, SleepOp];
