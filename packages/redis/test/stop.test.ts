// Stop from any instance: the flag plus pub/sub, and the owner's own polling of the flag when the
// message never arrives.
import { eventually } from '@flowllm/conformance/event-log-contract';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, newFlowId, rawClient, startLog } from './helpers.ts';
import { type OwnerProcess, startOwner } from './owner-process.ts';

let redis: RunningRedis;
const owners: OwnerProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const owner of owners.splice(0)) {
    owner.kill('SIGKILL');
    await owner.exited;
  }
  await closeAll();
});
afterAll(async () => {
  await redis?.stop();
});

describe('stop', () => {
  it('reaches the owner in another process through pub/sub', async () => {
    const owner = await startOwner({ REDIS_URL: redis.url, LEASE_SECONDS: '60', INSTANCE_ID: 'owner-a' });
    owners.push(owner);
    const flowId = newFlowId();
    await owner.send({ op: 'create', flowId });
    await owner.send({ op: 'append', flowId, frames: ['f1'] });
    // lease 60 s: the owner polls the flag every 20 s, so within this test only pub/sub can deliver it.
    const { log } = await startLog(redis.url, { lease_seconds: 60 });
    await eventually(
      () => log.info(flowId),
      (info) => info?.lastSeq === 1,
      'the first frame',
    );
    await log.requestStop(flowId);
    expect(await owner.next((m) => m.stop === flowId, 'the stop message')).toEqual({ stop: flowId });
  });

  it('still reaches the owner when the pub/sub message is lost: the owner polls the flag', async () => {
    const { log: ownerLog } = await startLog(redis.url, { lease_seconds: 0.3 });
    const heard: string[] = [];
    ownerLog.onStop((id) => heard.push(id));
    const flowId = newFlowId();
    const writer = ownerLog.create({ flowId, flow: 'chat', variant: 'post' });
    writer.append(['f1']);
    const client = await rawClient(redis.url);
    try {
      // Cut every subscriber, then set the flag as another instance would, with its message lost.
      await client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await client.hSet(`flowllm:run:{${flowId}}:meta`, 'stop', '1');
      const started = performance.now();
      await eventually(
        async () => heard,
        (ids) => ids.length > 0,
        'the owner to find the stop flag',
      );
      expect(heard).toEqual([flowId]);
      // One lease tick is 100 ms; the bound only catches a missing poll.
      expect(performance.now() - started).toBeLessThan(5000);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(heard).toEqual([flowId]); // told once, not on every tick
    } finally {
      client.destroy();
    }
  });

  it('sets the flag and tells every instance, and is idempotent', async () => {
    const a = await startLog(redis.url, { lease_seconds: 60 });
    const b = await startLog(redis.url, { lease_seconds: 60 });
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.log.onStop((id) => heardA.push(id));
    b.log.onStop((id) => heardB.push(id));
    const flowId = newFlowId();
    a.log.create({ flowId, flow: 'chat', variant: 'post' }).append(['f1']);
    await eventually(
      () => b.log.info(flowId),
      (info) => info !== undefined,
      'the run',
    );
    await b.log.requestStop(flowId);
    await b.log.requestStop(flowId);
    await eventually(
      async () => heardA.length + heardB.length,
      (n) => n >= 3,
      'the stop messages',
    );
    expect(heardA).toEqual([flowId]); // the owner: once
    expect(heardB).toEqual([flowId, flowId]); // another instance hears each request; it owns nothing
    const client = await rawClient(redis.url);
    try {
      expect(await client.hGet(`flowllm:run:{${flowId}}:meta`, 'stop')).toBe('1');
    } finally {
      client.destroy();
    }
  });
});
