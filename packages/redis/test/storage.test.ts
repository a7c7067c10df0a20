// What the log leaves in Redis: keys under the prefix with the run's hash tag, one stream entry per
// append, the cap enforced by Redis itself, and TTLs on every key.
import { eventually } from '@flowllm/conformance/event-log-contract';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, newFlowId, rawClient, startLog } from './helpers.ts';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(closeAll);
afterAll(async () => {
  await redis?.stop();
});

describe('storage in Redis', () => {
  it('uses prefixed, hash-tagged keys, one entry per append, trimmed by Redis and expiring', async () => {
    const { log, instanceId } = await startLog(redis.url, {
      key_prefix: 'app1.resume',
      max_events_per_run: 10,
      ttl_seconds: 120,
    });
    const flowId = newFlowId();
    const writer = log.create({ flowId, flow: 'chat', variant: 'post' });
    for (let i = 1; i <= 30; i++) writer.append([`a${i}`, `b${i}`]);
    await eventually(
      () => log.info(flowId),
      (info) => info?.lastSeq === 60,
      'sixty frames',
    );
    const client = await rawClient(redis.url);
    try {
      const logKey = `app1.resume:run:{${flowId}}:log`;
      const metaKey = `app1.resume:run:{${flowId}}:meta`;
      expect((await client.keys(`app1.resume:*`)).sort()).toEqual(
        [logKey, metaKey, `app1.resume:instance:${instanceId}`].sort(),
      );
      // MINID keeps the entries that hold the last 10 frames: 5 entries of 2.
      expect(await client.sendCommand(['XLEN', logKey])).toBe(5);
      expect(await client.hGetAll(metaKey)).toEqual({
        flow: 'chat',
        variant: 'post',
        owner: instanceId,
        state: 'running',
        stop: '0',
      });
      for (const key of [logKey, metaKey]) {
        const ttl = Number(await client.sendCommand(['TTL', key]));
        expect(ttl).toBeGreaterThan(100);
        expect(ttl).toBeLessThanOrEqual(120);
      }
      const lease = Number(await client.sendCommand(['PTTL', `app1.resume:instance:${instanceId}`]));
      expect(lease).toBeGreaterThan(0);
      expect(lease).toBeLessThanOrEqual(500);
    } finally {
      client.destroy();
    }
  });

  it('keeps appending after the script cache is flushed (EVALSHA falls back to EVAL)', async () => {
    const { log } = await startLog(redis.url);
    const flowId = newFlowId();
    const writer = log.create({ flowId, flow: 'chat', variant: 'post' });
    writer.append(['f1']);
    await eventually(
      () => log.info(flowId),
      (info) => info?.lastSeq === 1,
      'the first frame',
    );
    const client = await rawClient(redis.url);
    try {
      await client.sendCommand(['SCRIPT', 'FLUSH']);
      writer.append(['f2']);
      writer.append(['f3', '[DONE]']);
      await writer.end('finished');
      expect((await log.read(flowId, 0, 10)).frames).toEqual(['f1', 'f2', 'f3', '[DONE]']);
      expect(writer.fenced).toBe(false);
    } finally {
      client.destroy();
    }
  });

  it('marks readers as attached with a lease-long key, which the owner sees', async () => {
    const { log: owner } = await startLog(redis.url);
    const { log } = await startLog(redis.url);
    const flowId = newFlowId();
    owner.create({ flowId, flow: 'chat', variant: 'post' });
    expect(await owner.hasRemoteReaders(flowId)).toBe(false);
    log.heartbeatReaders([flowId]);
    await eventually(
      () => owner.hasRemoteReaders(flowId),
      (yes) => yes,
      'the remote reader mark',
    );
    const client = await rawClient(redis.url);
    try {
      const key = `flowllm:run:{${flowId}}:attached`;
      // The mark lives a lease (500 ms): on a busy machine it may lapse before the probe, so each probe
      // beats first, as a reading instance keeps doing.
      const ttl = await eventually(
        async () => {
          log.heartbeatReaders([flowId]);
          return Number(await client.sendCommand(['PTTL', key]));
        },
        (value) => value > 0,
        'the attached key',
      );
      expect(ttl).toBeLessThanOrEqual(500);
      // Without another beat the mark lapses after a lease.
      await eventually(
        () => owner.hasRemoteReaders(flowId),
        (yes) => !yes,
        'the mark to lapse',
      );
    } finally {
      client.destroy();
    }
  });

  it('is unavailable after close, and deletes its instance key, so its runs are found lost at once', async () => {
    const { log, instanceId } = await startLog(redis.url);
    const client = await rawClient(redis.url);
    try {
      expect(await client.exists(`flowllm:instance:${instanceId}`)).toBe(1);
      expect(log.available).toBe(true);
      await log.close();
      expect(log.available).toBe(false);
      expect(await client.exists(`flowllm:instance:${instanceId}`)).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
