import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowTimeoutError } from '../../src/engine/flow-errors.js';
import { RunDeadlines } from '../../src/engine/run-deadlines.js';
import { collect, testApp } from '../helpers/app.js';
import { events } from '../helpers/test-ops.js';

const timeoutMessage = (controller: AbortController) =>
  (controller.signal.reason as Error | undefined)?.message;

describe('engine: flow timeouts share one timer per flow, each run keeps its own deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('two runs started 100 ms apart each time out at their own deadline, on one timer', () => {
    vi.useFakeTimers();
    const deadlines = new RunDeadlines('f', 1);
    const first = new AbortController();
    const second = new AbortController();
    deadlines.add(first);
    vi.advanceTimersByTime(100);
    deadlines.add(second);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(899);
    expect(first.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(first.signal.reason).toBeInstanceOf(FlowTimeoutError);
    expect(timeoutMessage(first)).toBe("flow 'f' timed out after 1s");
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(99);
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(timeoutMessage(second)).toBe("flow 'f' timed out after 1s");
    expect(deadlines.size).toBe(0);
    expect(deadlines.armed).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a run that ends first leaves the queue; the timer stops with the last one', () => {
    vi.useFakeTimers();
    const deadlines = new RunDeadlines('f', 1);
    const finished = new AbortController();
    const waiting = new AbortController();
    deadlines.add(finished);
    vi.advanceTimersByTime(10);
    deadlines.add(waiting);
    deadlines.delete(finished);
    expect(deadlines.size).toBe(1);
    // The timer set for the finished run's deadline finds nothing due and waits for the next one.
    vi.advanceTimersByTime(990);
    expect(finished.signal.aborted).toBe(false);
    expect(waiting.signal.aborted).toBe(false);
    expect(deadlines.armed).toBe(true);
    vi.advanceTimersByTime(9);
    expect(waiting.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(waiting.signal.aborted).toBe(true);
    const alone = new AbortController();
    deadlines.add(alone);
    deadlines.delete(alone);
    expect(deadlines.armed).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a run started by an abort listener gets its own full timeout', () => {
    vi.useFakeTimers();
    const deadlines = new RunDeadlines('f', 1);
    const first = new AbortController();
    const queued = new AbortController();
    const restarted = new AbortController();
    deadlines.add(first);
    vi.advanceTimersByTime(500);
    deadlines.add(queued);
    first.signal.addEventListener('abort', () => deadlines.add(restarted));
    vi.advanceTimersByTime(500);
    expect(first.signal.aborted).toBe(true);
    // The queued run's earlier deadline still fires first, on time.
    vi.advanceTimersByTime(499);
    expect(queued.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(queued.signal.aborted).toBe(true);
    expect(restarted.signal.aborted).toBe(false);
    vi.advanceTimersByTime(500);
    expect(restarted.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('streams of one flow started at different times each end at their own deadline', async () => {
    vi.useFakeTimers();
    const app = testApp({ flow: { f: { flow_content: 'WaitForAbortOp()', stream: true, timeout: 1 } } });
    const early = app.stream('f');
    const earlyChunks = collect(early);
    await vi.advanceTimersByTimeAsync(400);
    const late = app.stream('f');
    const lateChunks = collect(late);
    await vi.advanceTimersByTimeAsync(1);
    expect(events.filter((event) => event === 'waiting')).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(599);
    expect(early.signal.aborted).toBe(true);
    expect(late.signal.aborted).toBe(false);
    expect((await earlyChunks).map((c) => c.chunk)).toEqual(["flow 'f' timed out after 1s", '']);
    await vi.advanceTimersByTimeAsync(399);
    expect(late.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await lateChunks).map((c) => c.chunk)).toEqual(["flow 'f' timed out after 1s", '']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flows with different timeouts each time out on time (real timers, never early)', async () => {
    const app = testApp({
      flow: {
        short: { flow_content: 'WaitForAbortOp()', stream: true, timeout: 0.05 },
        long: { flow_content: 'WaitForAbortOp()', stream: true, timeout: 0.3 },
      },
    });
    const started = performance.now();
    const ended: Record<string, number> = {};
    const run = async (name: string) => {
      const chunks = await collect(app.stream(name));
      ended[name] = performance.now() - started;
      return chunks[0]?.chunk;
    };
    const [short, long] = await Promise.all([run('short'), run('long')]);
    expect(short).toBe("flow 'short' timed out after 0.05s");
    expect(long).toBe("flow 'long' timed out after 0.3s");
    // Lower bounds only: a loaded machine may be late, never early.
    expect(ended.short).toBeGreaterThanOrEqual(50 - 1);
    expect(ended.long).toBeGreaterThanOrEqual(300 - 1);
    expect(ended.long).toBeGreaterThan(ended.short as number);
  });

  it('a sync run that finishes clears its deadline: no timer is left behind', async () => {
    vi.useFakeTimers();
    const app = testApp({ flow: { f: { flow_content: 'UpperOp()', timeout: 60 } } });
    const response = await app.run('f', { query: 'hi' });
    expect(response.answer).toBe('HI');
    expect(vi.getTimerCount()).toBe(0);
    const stream = app.stream('f', { query: 'hi' });
    await collect(stream);
    await stream.settled;
    expect(vi.getTimerCount()).toBe(0);
  });
});
