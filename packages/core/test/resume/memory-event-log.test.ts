import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../../src/http/service-types.js';
import type { ResumeConfig } from '../../src/resume/event-log.js';
import { createMemoryEventLog, DONE_FRAME } from '../../src/resume/memory-event-log.js';

const CONFIG: ResumeConfig = {
  backend: 'memory',
  redis_url: '',
  key_prefix: 'flowllm',
  ttl_seconds: 3600,
  max_events_per_run: 5,
  detach_seconds: 60,
  retry_ms: 1000,
  lease_seconds: 5,
};

async function startedLog(config: Partial<ResumeConfig> = {}) {
  const log = createMemoryEventLog();
  await log.start({ instanceId: 'me', logger: consoleLogger, config: { ...CONFIG, ...config } });
  return log;
}

describe('the memory event log', () => {
  it('over its budget of frames across runs, drops finished runs oldest first, never a running one', async () => {
    const log = createMemoryEventLog({ maxTotalEvents: 8 });
    await log.start({ instanceId: 'me', logger: consoleLogger, config: CONFIG });
    const running = log.create({ flowId: 'live', flow: 'chat', variant: 'post' });
    running.append(['l1', 'l2', 'l3']);
    for (const id of ['old', 'mid', 'new']) {
      log.create({ flowId: id, flow: 'chat', variant: 'post' }).append(['x', DONE_FRAME]);
    }
    // 3 + 2 + 2 + 2 = 9 frames > 8: the oldest finished run went.
    expect(await log.info('old')).toBeUndefined();
    expect(await log.info('mid')).toBeDefined();
    expect(log.heldEvents).toBe(7);
    running.append(['l4', 'l5']);
    // 9 again: 'mid' goes; the running run keeps every frame (its own cap is max_events_per_run).
    expect(await log.info('mid')).toBeUndefined();
    expect(await log.info('new')).toBeDefined();
    expect((await log.read('live', 0, 10)).frames).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    expect(log.heldEvents).toBe(7);
  });

  it('numbers frames from 1 in append order and reads after a seq', async () => {
    const log = await startedLog();
    const writer = log.create({ flowId: 'r1', flow: 'chat', variant: 'post' });
    writer.append(['a', 'b']);
    writer.append(['c']);
    expect(await log.read('r1', 0, 10)).toEqual({ firstSeq: 1, frames: ['a', 'b', 'c'] });
    expect(await log.read('r1', 1, 1)).toEqual({ firstSeq: 2, frames: ['b'] });
    expect(await log.read('r1', 3, 10)).toEqual({ firstSeq: 4, frames: [] });
    expect(await log.info('r1')).toMatchObject({
      flow: 'chat',
      owner: 'me',
      state: 'running',
      firstSeq: 1,
      lastSeq: 3,
      ended: false,
    });
    expect(await log.info('nope')).toBeUndefined();
    await log.close();
  });

  it('follow() catches up, wakes on new frames, and ends after [DONE]', async () => {
    const log = await startedLog();
    const writer = log.create({ flowId: 'r1', flow: 'chat', variant: 'post' });
    writer.append(['a']);
    const seen: string[] = [];
    const following = (async () => {
      for await (const slice of log.follow('r1', 0, new AbortController().signal)) {
        for (const [i, frame] of slice.frames.entries()) seen.push(`${slice.firstSeq + i}=${frame}`);
        if (seen.length === 1) writer.append(['b', DONE_FRAME]);
      }
    })();
    await following;
    expect(seen).toEqual(['1=a', '2=b', `3=${DONE_FRAME}`]);
    expect((await log.info('r1'))?.ended).toBe(true);
    await log.close();
  });

  it('follow() stops when its signal fires', async () => {
    const log = await startedLog();
    log.create({ flowId: 'r1', flow: 'chat', variant: 'post' }).append(['a']);
    const controller = new AbortController();
    const slices: number[] = [];
    const following = (async () => {
      for await (const slice of log.follow('r1', 0, controller.signal)) {
        slices.push(slice.frames.length);
        controller.abort();
      }
    })();
    await following;
    expect(slices).toEqual([1]);
  });

  it('keeps at most max_events_per_run frames, dropping the oldest (firstSeq moves on)', async () => {
    const log = await startedLog({ max_events_per_run: 3 });
    const writer = log.create({ flowId: 'r1', flow: 'chat', variant: 'post' });
    writer.append(['1', '2']);
    writer.append(['3', '4', '5']);
    expect(await log.info('r1')).toMatchObject({ firstSeq: 3, lastSeq: 5 });
    expect(await log.read('r1', 0, 10)).toEqual({ firstSeq: 3, frames: ['3', '4', '5'] });
  });

  it('drops a run whose TTL ran out, and sweeps it on its own', async () => {
    const log = await startedLog({ ttl_seconds: 0.05 });
    const writer = log.create({ flowId: 'r1', flow: 'chat', variant: 'post' });
    writer.append(['a', DONE_FRAME]);
    await writer.end('finished');
    expect(await log.info('r1')).toMatchObject({ state: 'finished', ended: true });
    log.evict(Date.now() + 60_000);
    expect(await log.info('r1')).toBeUndefined();
    const other = log.create({ flowId: 'r2', flow: 'chat', variant: 'post' });
    other.append(['x']);
    // The unref'd sweep (every quarter TTL) removes it without anyone asking.
    const internal = log as unknown as { runs: Map<string, unknown> };
    while (internal.runs.has('r2')) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await log.info('r2')).toBeUndefined();
    await log.close();
  });

  it('tells stop listeners about a known run only', async () => {
    const log = await startedLog();
    const stopped: string[] = [];
    log.onStop((flowId) => stopped.push(flowId));
    log.create({ flowId: 'r1', flow: 'chat', variant: 'post' });
    await log.requestStop('r1');
    await log.requestStop('unknown');
    expect(stopped).toEqual(['r1']);
  });
});
