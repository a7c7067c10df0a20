// LiveRun: the one reader of a flow's stream. A slow attached reader holds the model; detaching does
// not abort it; the local frames a reader still needs are never dropped.
import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { consoleLogger } from '../../src/http/service-types.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { LiveRun, READER_LAG_LIMIT } from '../../src/resume/live-run.js';
import { createMemoryEventLog, DONE_FRAME } from '../../src/resume/memory-event-log.js';
import { waitUntil } from '../helpers/wait.js';

const WORDS = Array.from({ length: 300 }, (_, i) => `x${i}`);

async function liveRun(maxEvents = 20_000) {
  const app = createFlowApp({
    env: {},
    config: {
      llm: { default: { backend: 'mock', answer: WORDS.join(' ') } },
      flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
    },
  });
  const log = createMemoryEventLog();
  await log.start({
    instanceId: 'me',
    logger: consoleLogger,
    config: {
      backend: 'memory',
      redis_url: '',
      key_prefix: 'p',
      ttl_seconds: 60,
      max_events_per_run: maxEvents,
      detach_seconds: 60,
      retry_ms: 0,
      lease_seconds: 5,
    },
  });
  const stream = app.stream('chat', { query: 'q' });
  const info = { flowId: stream.flowId, flow: 'chat', variant: 'post' as const };
  const ended: LiveRun[] = [];
  const run = new LiveRun(stream, log.create(info), info, {
    maxEvents,
    detachMs: 60_000,
    onEnd: (r) => ended.push(r),
  });
  return { run, log, ended, llm: app.resources.llm('default') as MockLlm };
}

describe('LiveRun', () => {
  it('pauses the model while the slowest attached reader is 64 events behind, and goes on when it catches up', async () => {
    const { run, llm, ended } = await liveRun();
    const seat = run.attach(0);
    run.start();
    await waitUntil(() => run.lastSeq >= READER_LAG_LIMIT);
    // Several turns of the event loop later it is still held near the limit (the chunk channel's own
    // small buffer may run a little ahead of what was logged).
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(run.lastSeq).toBeLessThan(READER_LAG_LIMIT + 20);
    expect(llm.stats.completed).toBe(0);
    run.ack(seat, run.lastSeq);
    run.detach(seat);
    await waitUntil(() => ended.length === 1);
    expect(run.lastSeq).toBe(WORDS.length + 1);
    expect(run.state).toBe('finished');
    expect(llm.stats).toMatchObject({ completed: 1, aborted: 0 });
  });

  it('keeps the frames an attached reader has not sent, past max_events_per_run', async () => {
    const { run, ended, log } = await liveRun(10);
    const seat = run.attach(0);
    run.start();
    const frames: string[] = [];
    for (;;) {
      const slice = run.after(frames.length);
      expect(slice).not.toBe('gap');
      if (slice === 'gap') break;
      frames.push(...slice.frames);
      run.ack(seat, frames.length);
      if (frames.at(-1) === DONE_FRAME) break;
      await run.changed(new AbortController().signal);
    }
    expect(frames).toHaveLength(WORDS.length + 1);
    await waitUntil(() => ended.length === 1);
    // The store itself keeps only the last 10.
    expect(await log.info(run.flowId)).toMatchObject({
      firstSeq: WORDS.length + 1 - 9,
      lastSeq: WORDS.length + 1,
    });
  });
});
