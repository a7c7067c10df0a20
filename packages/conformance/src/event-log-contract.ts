// The behaviour every resume store must have, as one vitest describe block: core's memory store and
// @flowllm/redis both run it. Each test starts a fresh log with a small config (short caps, TTL, lease).
import { randomUUID } from 'node:crypto';
import type { EventLog, LoggedFrames, ResumeConfig } from '@flowllm/core/adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from './util.js';
import { HANG_MS, settles, sleep } from './wait.js';

/** The config the contract starts logs with; `options.config` overrides any key. */
const CONTRACT_CONFIG: ResumeConfig = {
  backend: 'memory',
  redis_url: '',
  key_prefix: 'flowllm-contract',
  ttl_seconds: 60,
  max_events_per_run: 1000,
  detach_seconds: 60,
  retry_ms: 1000,
  lease_seconds: 5,
};

/**
 * Polls an async `probe` until `accept` holds; fails with `what` after `timeoutMs` (a hang guard).
 *
 * @example
 * await eventually(() => log.info(id), (info) => info?.lastSeq === 3, 'three frames logged');
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = HANG_MS,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Collects a follow() until it ends, checking that seqs are consecutive from `afterSeq + 1`.
 *
 * @example
 * const frames = await collectFollow(log, id, 0, AbortSignal.timeout(10_000));
 */
export async function collectFollow(
  log: EventLog,
  flowId: string,
  afterSeq: number,
  signal: AbortSignal,
  onSlice: (slice: LoggedFrames) => void = () => {},
): Promise<string[]> {
  const frames: string[] = [];
  let next = afterSeq + 1;
  for await (const slice of log.follow(flowId, afterSeq, signal)) {
    expect(slice.firstSeq, 'follow() yields consecutive seqs').toBe(next);
    expect(slice.frames.length).toBeGreaterThan(0);
    next += slice.frames.length;
    frames.push(...slice.frames);
    onSlice(slice);
  }
  return frames;
}

/**
 * Registers the EventLog contract for the store `make` builds (a new, unstarted log per call). The
 * contract starts it with `instanceId` `contract-<n>` and its own small config merged with
 * `options.config`, and closes it after each test. `shared`: logs from separate `make()` calls see the
 * same runs (Redis), so what one closed is read through another.
 *
 * @example
 * runEventLogContract('memory', () => createMemoryEventLog());
 * runEventLogContract('redis', () => createRedisEventLog({ url: redis.url }), { shared: true });
 */
export function runEventLogContract(
  name: string,
  make: () => EventLog | Promise<EventLog>,
  options: { config?: Partial<ResumeConfig>; shared?: boolean } = {},
): void {
  describe(`EventLog contract: ${name}`, () => {
    const open: EventLog[] = [];
    let instances = 0;

    async function started(config: Partial<ResumeConfig> = {}) {
      const log = await make();
      const instanceId = `contract-${++instances}-${randomUUID().slice(0, 8)}`;
      const logger = recordingLogger();
      await log.start({ instanceId, logger, config: { ...CONTRACT_CONFIG, ...options.config, ...config } });
      open.push(log);
      return { log, instanceId, logger };
    }
    const newRun = (log: EventLog, flow = 'chat') => {
      const flowId = randomUUID().replaceAll('-', '');
      return { flowId, writer: log.create({ flowId, flow, variant: 'post' }) };
    };
    const logged = (log: EventLog, flowId: string, lastSeq: number) =>
      eventually(
        () => log.info(flowId),
        (info) => info?.lastSeq === lastSeq,
        `run ${flowId} to reach seq ${lastSeq}`,
      );

    afterEach(async () => {
      await Promise.all(open.splice(0).map((log) => log.close()));
    });

    it('is available once started and describes a new run', async () => {
      const { log, instanceId } = await started();
      expect(log.available).toBe(true);
      expect(typeof log.kind).toBe('string');
      const flowId = randomUUID().replaceAll('-', '');
      log.create({ flowId, flow: 'search', variant: 'event-source' });
      const info = await eventually(
        () => log.info(flowId),
        (value) => value !== undefined,
        'the new run',
      );
      expect(info).toEqual({
        flowId,
        flow: 'search',
        variant: 'event-source',
        owner: instanceId,
        state: 'running',
        firstSeq: 1,
        lastSeq: 0,
        ended: false,
      });
    });

    it('numbers frames from 1 in append order and reads after an id', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a', 'b']);
      writer.append(['c']);
      writer.append([]);
      writer.append(['d', 'e', 'f']);
      await logged(log, flowId, 6);
      expect(await log.read(flowId, 0, 100)).toEqual({ firstSeq: 1, frames: ['a', 'b', 'c', 'd', 'e', 'f'] });
      expect(await log.read(flowId, 1, 100)).toEqual({ firstSeq: 2, frames: ['b', 'c', 'd', 'e', 'f'] });
      expect(await log.read(flowId, 3, 2)).toEqual({ firstSeq: 4, frames: ['d', 'e'] });
      expect((await log.read(flowId, 6, 100)).frames).toEqual([]);
      expect(writer.fenced).toBe(false);
    });

    it('keeps frames byte for byte (JSON with quotes, unicode, CR-free escapes)', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      const frames = [
        JSON.stringify({ chunk: 'line\nbreak "quoted" \\ tab\t', emoji: '😀', zh: '你好' }),
        '{"flow_id":"x","chunk_type":"answer","chunk":"","done":false,"metadata":{}}',
        '[DONE]',
      ];
      writer.append(frames);
      await logged(log, flowId, 3);
      expect((await log.read(flowId, 0, 10)).frames).toEqual(frames);
    });

    it('records the end state; an ended run ends with [DONE]', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a', '[DONE]']);
      await writer.end('finished');
      const info = await eventually(
        () => log.info(flowId),
        (value) => value?.state === 'finished',
        'the finished state',
      );
      expect(info).toMatchObject({ state: 'finished', ended: true, firstSeq: 1, lastSeq: 2 });

      const stopped = newRun(log);
      stopped.writer.append(['x', '{"chunk_type":"error"}', '[DONE]']);
      await stopped.writer.end('stopped');
      expect(
        await eventually(
          () => log.info(stopped.flowId),
          (value) => value?.state === 'stopped',
          'the stopped state',
        ),
      ).toMatchObject({ ended: true, lastSeq: 3 });
    });

    it('knows nothing of unknown runs', async () => {
      const { log } = await started();
      const unknown = randomUUID().replaceAll('-', '');
      expect(await log.info(unknown)).toBeUndefined();
      expect((await log.read(unknown, 0, 10)).frames).toEqual([]);
    });

    it('follow() catches up, then tails live, then ends after [DONE]', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a', 'b']);
      await logged(log, flowId, 2);
      let slices = 0;
      let sawB: () => void = () => {};
      const caughtUp = new Promise<void>((resolve) => {
        sawB = resolve;
      });
      const followed = collectFollow(log, flowId, 1, AbortSignal.timeout(HANG_MS * 3), (slice) => {
        slices++;
        if (slice.frames.includes('b')) sawB();
      });
      await settles(caughtUp, 'the catch-up slice');
      writer.append(['c']);
      await sleep(20);
      writer.append(['d', '[DONE]']);
      await writer.end('finished');
      expect(await settles(followed, 'follow() to end after [DONE]')).toEqual(['b', 'c', 'd', '[DONE]']);
      expect(slices).toBeGreaterThanOrEqual(2);
    });

    it('follow() of an ended run replays its tail and ends', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a', 'b', '[DONE]']);
      await writer.end('finished');
      await logged(log, flowId, 3);
      const frames = await settles(
        collectFollow(log, flowId, 1, AbortSignal.timeout(HANG_MS * 3)),
        'follow() of an ended run',
      );
      expect(frames).toEqual(['b', '[DONE]']);
    });

    it('follow() serves many readers of one run, each frame once', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      const readers = [0, 0, 3].map((after) =>
        collectFollow(log, flowId, after, AbortSignal.timeout(HANG_MS * 3)),
      );
      const sent: string[] = [];
      for (let i = 1; i <= 50; i++) {
        sent.push(`f${i}`);
        writer.append([`f${i}`]);
        if (i % 10 === 0) await sleep(5);
      }
      writer.append(['[DONE]']);
      await writer.end('finished');
      const [first, second, third] = await settles(Promise.all(readers), 'three readers to finish');
      expect(first).toEqual([...sent, '[DONE]']);
      expect(second).toEqual([...sent, '[DONE]']);
      expect(third).toEqual([...sent.slice(3), '[DONE]']);
    });

    it('follow() stops when its signal aborts, without an end', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a']);
      const controller = new AbortController();
      const followed = collectFollow(log, flowId, 0, controller.signal, () => controller.abort());
      expect(await settles(followed, 'follow() to stop after abort')).toEqual(['a']);
    });

    it('caps a run at max_events_per_run, dropping the oldest frames', async () => {
      const { log } = await started({ max_events_per_run: 5 });
      const { flowId, writer } = newRun(log);
      for (let i = 1; i <= 9; i++) writer.append([`f${i}`]);
      writer.append(['f10', 'f11', 'f12']);
      const info = await logged(log, flowId, 12);
      expect(info).toMatchObject({ firstSeq: 8, lastSeq: 12 });
      expect(await log.read(flowId, 0, 100)).toEqual({
        firstSeq: 8,
        frames: ['f8', 'f9', 'f10', 'f11', 'f12'],
      });
      expect(await log.read(flowId, 9, 100)).toEqual({ firstSeq: 10, frames: ['f10', 'f11', 'f12'] });
    });

    it('follow() from before the kept frames starts at the oldest kept one (the gap shows in its seq)', async () => {
      const { log } = await started({ max_events_per_run: 3 });
      const { flowId, writer } = newRun(log);
      for (let i = 1; i <= 6; i++) writer.append([`f${i}`]);
      writer.append(['[DONE]']);
      await writer.end('finished');
      await logged(log, flowId, 7);
      const slices: LoggedFrames[] = [];
      for await (const slice of log.follow(flowId, 1, AbortSignal.timeout(HANG_MS))) slices.push(slice);
      expect(slices[0]?.firstSeq).toBe(5);
      expect(slices.flatMap((slice) => slice.frames)).toEqual(['f5', 'f6', '[DONE]']);
    });

    it('forgets an ended run after ttl_seconds', async () => {
      const { log } = await started({ ttl_seconds: 1, lease_seconds: 0.5 });
      const { flowId, writer } = newRun(log);
      writer.append(['a', '[DONE]']);
      await writer.end('finished');
      await logged(log, flowId, 2);
      const started_ = performance.now();
      await eventually(
        () => log.info(flowId),
        (info) => info === undefined,
        'the run to expire',
        HANG_MS * 2,
      );
      expect(performance.now() - started_).toBeGreaterThan(500);
      expect((await log.read(flowId, 0, 10)).frames).toEqual([]);
    });

    it('tells onStop listeners about requestStop() of a run it owns', async () => {
      const { log } = await started();
      const { flowId, writer } = newRun(log);
      writer.append(['a']);
      await logged(log, flowId, 1);
      const heard: string[] = [];
      const stopped = new Promise<void>((resolve) =>
        log.onStop((id) => {
          heard.push(id);
          resolve();
        }),
      );
      await log.requestStop(flowId);
      await settles(stopped, 'the stop notification');
      await sleep(50);
      expect(heard).toEqual([flowId]);
    });

    it('requestStop() of an unknown run does not throw and creates nothing', async () => {
      const { log } = await started();
      const unknown = randomUUID().replaceAll('-', '');
      await log.requestStop(unknown);
      expect(await log.info(unknown)).toBeUndefined();
    });

    it('names runs with setAlias(); a newer name for a key replaces the older; unknown keys find nothing', async () => {
      const { log } = await started();
      if (!log.setAlias || !log.alias)
        throw new Error('this store has no setAlias/alias (optional, but both stores of flowllm have them)');
      const first = newRun(log);
      const second = newRun(log);
      await log.setAlias('ui:chat:c1', first.flowId);
      expect(await log.alias('ui:chat:c1')).toBe(first.flowId);
      await log.setAlias('ui:chat:c1', second.flowId);
      expect(await log.alias('ui:chat:c1')).toBe(second.flowId);
      expect(await log.alias('ui:chat:other')).toBeUndefined();
    });

    it('close() flushes pending appends', async () => {
      const first = await started();
      const { flowId, writer } = newRun(first.log);
      for (let i = 1; i <= 100; i++) writer.append([`f${i}`]);
      writer.append(['[DONE]']);
      const ended = writer.end('finished');
      await first.log.close();
      await ended;
      if (!options.shared) return;
      const second = await started();
      expect(await second.log.info(flowId)).toMatchObject({ lastSeq: 101, ended: true, state: 'finished' });
    });
  });
}
