import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, testApp } from '../helpers/app.js';
import { events } from '../helpers/test-ops.js';

const waitingFlow = (timeout?: number | null) =>
  testApp({
    flow: {
      f: { flow_content: 'WaitForAbortOp()', stream: true, ...(timeout !== undefined && { timeout }) },
    },
  });

describe('engine: a flow runs ten minutes at most unless told otherwise', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a flow with no timeout configured times out after 600 s', async () => {
    vi.useFakeTimers();
    const app = waitingFlow();
    expect(app.flow('f').config.timeout).toBe(600);
    const stream = app.stream('f');
    const chunks = collect(stream);
    await vi.advanceTimersByTimeAsync(599_999);
    expect(stream.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await chunks).map((c) => [c.chunk_type, c.chunk])).toEqual([
      ['error', "flow 'f' timed out after 600s"],
      ['done', ''],
    ]);
  });

  it.each([0, null])('timeout: %s schedules no timer at all', async (timeout) => {
    vi.useFakeTimers();
    const app = waitingFlow(timeout);
    const stream = app.stream('f');
    while (!events.includes('waiting')) await Promise.resolve();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 3600 * 1000);
    expect(stream.signal.aborted).toBe(false);
    stream.cancel(new Error('test over'));
    await stream.settled;
  });

  it('a short configured timeout ends a stream with the timeout error', async () => {
    const chunks = await collect(waitingFlow(0.05).stream('f'));
    expect(chunks.map((c) => [c.chunk_type, c.chunk])).toEqual([
      ['error', "flow 'f' timed out after 0.05s"],
      ['done', ''],
    ]);
  });
});

describe('engine: many ops sharing one signal', () => {
  it.each([
    ['ops', 'LogOp(delay_ms=5)'],
    ['model calls', 'ChatOp()'],
  ])('20 parallel %s raise no MaxListenersExceededWarning', async (_, op) => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const app = testApp({
        flow: { f: { flow_content: Array(20).fill(op).join(' | '), stream: true } },
        llm: { default: { backend: 'mock' } },
      });
      const controller = new AbortController();
      const chunks = await collect(app.stream('f', { query: 'hi' }, { signal: controller.signal }));
      expect(chunks.at(-1)?.chunk_type).toBe('done');
      expect(chunks.filter((c) => c.chunk_type === 'error')).toEqual([]);
      // Node emits warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('engine: FlowStream.finished (what http.max_streams counts)', () => {
  const isSettled = async (promise: Promise<void>) => {
    let settled = false;
    promise.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    return settled;
  };

  it('resolves once the reader has had the last chunk, not before', async () => {
    const stream = testApp({ flow: { f: { flow_content: 'CountOp(count=3)', stream: true } } }).stream('f');
    await stream.next();
    expect(await isSettled(stream.finished)).toBe(false);
    await collect(stream);
    expect(await isSettled(stream.finished)).toBe(true);
  });

  it('resolves when the stream is cancelled before its end', async () => {
    const stream = waitingFlow(0).stream('f');
    expect(await isSettled(stream.finished)).toBe(false);
    stream.cancel(new Error('client left'));
    expect(await isSettled(stream.finished)).toBe(true);
  });
});
