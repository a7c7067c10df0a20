import { describe, expect, it } from 'vitest';
import { FlowContext } from '../../src/engine/context.js';
import { newFlowId } from '../../src/engine/flow.js';
import { Latch } from '../../src/engine/latch.js';
import { collect, testApp } from '../helpers/app.js';
import { events, FlakyOp } from '../helpers/test-ops.js';

const streamFlow = (flowContent: string) =>
  testApp({ flow: { f: { flow_content: flowContent, stream: true } } });

describe('Latch: a promise only for someone who waits', () => {
  it('resolves a promise asked for before it opened, and calls listeners once', async () => {
    const latch = new Latch();
    const calls: string[] = [];
    latch.whenOpen(() => calls.push('first'));
    latch.whenOpen(() => calls.push('second'));
    const waited = latch.promise.then(() => calls.push('promise'));
    expect(latch.promise).toBe(latch.promise);
    latch.open();
    latch.open();
    expect(calls).toEqual(['first', 'second']);
    await waited;
    expect(calls).toEqual(['first', 'second', 'promise']);
  });

  it('once open: listeners run at once and the promise is already resolved', async () => {
    const latch = new Latch();
    latch.open();
    const calls: string[] = [];
    latch.whenOpen(() => calls.push('late'));
    expect(calls).toEqual(['late']);
    await expect(latch.promise).resolves.toBeUndefined();
  });
});

describe("engine: a stream's ready, settled and finished without a promise per stream", () => {
  it('ready and settled read before the run got there resolve when it does', async () => {
    const stream = streamFlow('WaitForAbortOp()').stream('f');
    let ready = false;
    let settled = false;
    void stream.ready.then(() => {
      ready = true;
    });
    void stream.settled.then(() => {
      settled = true;
    });
    while (!events.includes('waiting')) await new Promise((resolve) => setTimeout(resolve, 1));
    expect([ready, settled]).toEqual([false, false]);
    stream.cancel(new Error('stop'));
    await stream.settled;
    expect([ready, settled]).toEqual([true, true]);
  });

  it('ready and settled read only after the run ended are resolved', async () => {
    const stream = streamFlow('CountOp(count=2)').stream('f');
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.chunk_type)).toEqual(['answer', 'answer', 'done']);
    // settled may lag the last chunk by a microtask or two: wait for it, then both are resolved.
    await stream.settled;
    await expect(stream.ready).resolves.toBeUndefined();
    await expect(stream.settled).resolves.toBeUndefined();
    expect(stream.produced).toBe(2);
  });

  it('whenFinished tells its listener once the reader had the end, or at once when it already had', async () => {
    const stream = streamFlow('CountOp(count=1)').stream('f');
    const told: string[] = [];
    stream.whenFinished(() => told.push('early'));
    expect(await stream.next()).toMatchObject({ done: false, value: { chunk: 'token-0' } });
    expect(told).toEqual([]);
    await collect(stream);
    expect(told).toEqual(['early']);
    stream.whenFinished(() => told.push('late'));
    expect(told).toEqual(['early', 'late']);
    await expect(stream.finished).resolves.toBeUndefined();
  });

  it('a cancelled stream is finished for its listeners and for `finished`', async () => {
    const stream = streamFlow('WaitForAbortOp()').stream('f');
    const told: string[] = [];
    stream.whenFinished(() => told.push('finished'));
    stream.cancel(new Error('gone'));
    expect(told).toEqual(['finished']);
    await stream.finished;
    await stream.settled;
    expect(stream.signal.reason).toEqual(new Error('gone'));
  });
});

describe('BaseOp.run without telemetry (no second async frame)', () => {
  const app = testApp({ flow: { f: { flow_content: 'FlakyOp()' } } });
  const context = (signal = new AbortController().signal) =>
    new FlowContext({ flowId: newFlowId(), stream: false, signal, resources: app.resources, input: {} });

  it('resolves with nothing, even when it reported an error instead of failing', async () => {
    const op = new FlakyOp({ fail_times: 9, raise_exception: false });
    const runContext = context();
    await expect(op.run(runContext)).resolves.toBeUndefined();
    expect(runContext.response.metadata.errors).toEqual([{ op: 'FlakyOp', message: 'boom 1' }]);
  });

  it('on an aborted signal, returns a rejected promise (it does not throw) and never starts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already gone'));
    const op = new FlakyOp({ fail_times: 0 });
    events.length = 0;
    let result: Promise<void> | undefined;
    expect(() => {
      result = op.run(context(controller.signal));
    }).not.toThrow();
    await expect(result).rejects.toThrow('already gone');
    expect(events).toEqual([]);
  });
});
