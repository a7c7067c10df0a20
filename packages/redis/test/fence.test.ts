// Lost runs and the fence: an owner that dies is declared lost by exactly one reader; an owner that was
// only slow finds itself fenced and stops writing.
import { collectFollow, eventually } from '@flowllm/conformance/event-log-contract';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lostChunk } from '../src/index.js';
import { closeAll, newFlowId, rawClient, startLog } from './helpers.ts';
import { type OwnerProcess, startOwner } from './owner-process.ts';

let redis: RunningRedis;
const owners: OwnerProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const owner of owners.splice(0)) {
    owner.kill('SIGCONT');
    owner.kill('SIGKILL');
    await owner.exited;
  }
  await closeAll();
});
afterAll(async () => {
  await redis?.stop();
});

// A second: an owner process starved by a busy machine for half a second must not look dead.
const LEASE = 1;

async function ownerWithRun(frames: string[]) {
  const owner = await startOwner({
    REDIS_URL: redis.url,
    LEASE_SECONDS: String(LEASE),
    INSTANCE_ID: newFlowId(),
  });
  owners.push(owner);
  const flowId = newFlowId();
  await owner.send({ op: 'create', flowId });
  await owner.send({ op: 'append', flowId, frames });
  // Appends are write-behind: on a busy machine they may still be queued in the owner. Wait until Redis
  // holds them, so a test that then freezes the owner knows what was logged before it stopped.
  if (frames.length > 0) {
    const { log } = await startLog(redis.url, { lease_seconds: LEASE });
    await eventually(
      () => log.info(flowId),
      (info) => info?.lastSeq === frames.length,
      'the owner’s frames to reach Redis',
    );
  }
  return { owner, flowId };
}

describe('a run whose owner dies', () => {
  it('ends for every reader with the lost chunk and [DONE], written exactly once', async () => {
    const { owner, flowId } = await ownerWithRun(['f1', 'f2', 'f3']);
    const readers = await Promise.all([1, 2, 3, 4].map(() => startLog(redis.url, { lease_seconds: LEASE })));
    // Every reader is live at seq 3 before the owner dies.
    const caughtUp: Array<Promise<void>> = [];
    const followed = readers.map(({ log }) => {
      let seen: () => void = () => {};
      caughtUp.push(new Promise<void>((resolve) => (seen = resolve)));
      return collectFollow(log, flowId, 0, AbortSignal.timeout(30_000), (slice) => {
        if (slice.firstSeq + slice.frames.length - 1 >= 3) seen();
      });
    });
    await Promise.all(caughtUp);
    const killedAt = performance.now();
    owner.kill('SIGKILL');
    const results = await Promise.all(followed);
    const detectedMs = performance.now() - killedAt;

    for (const frames of results) expect(frames).toEqual(['f1', 'f2', 'f3', lostChunk(flowId), '[DONE]']);
    // The lease expires within LEASE after the last renewal; a reader acts after LEASE without progress.
    expect(detectedMs).toBeLessThan(LEASE * 1000 * 2 + 3000);

    const client = await rawClient(redis.url);
    try {
      const entries = (await client.sendCommand([
        'XRANGE',
        `flowllm:run:{${flowId}}:log`,
        '-',
        '+',
      ])) as Array<[string, string[]]>;
      const lostEntries = entries.filter(([, fields]) => fields.join('\n').includes('the run was lost'));
      expect(lostEntries).toHaveLength(1);
      expect(entries.map(([id]) => id)).toEqual(['0-3', '0-5']);
      expect(await client.hGet(`flowllm:run:{${flowId}}:meta`, 'state')).toBe('lost');
    } finally {
      client.destroy();
    }
    const { log } = readers[0]!;
    expect(await log.info(flowId)).toMatchObject({ state: 'lost', ended: true, lastSeq: 5 });
  });

  it('is declared lost even when it died before logging any frame', async () => {
    const { owner, flowId } = await ownerWithRun([]);
    const { log } = await startLog(redis.url, { lease_seconds: LEASE });
    owner.kill('SIGKILL');
    await owner.exited;
    const frames = await collectFollow(log, flowId, 0, AbortSignal.timeout(30_000));
    expect(frames).toEqual([lostChunk(flowId), '[DONE]']);
  });

  it('is not declared lost while its owner is alive, however slow the run', async () => {
    const { owner, flowId } = await ownerWithRun(['f1']);
    const { log } = await startLog(redis.url, { lease_seconds: LEASE });
    const controller = new AbortController();
    const followed = collectFollow(log, flowId, 0, controller.signal);
    // Four leases with no progress: the owner's lease is renewed, so nobody writes a lost marker.
    await new Promise((resolve) => setTimeout(resolve, LEASE * 4000));
    await owner.send({ op: 'append', flowId, frames: ['f2', '[DONE]'] });
    await owner.send({ op: 'end', flowId });
    expect(await followed).toEqual(['f1', 'f2', '[DONE]']);
  });
});

describe('an owner that was only slow', () => {
  it('is fenced: its later appends are refused and readers see the lost ending only', async () => {
    const { owner, flowId } = await ownerWithRun(['f1', 'f2']);
    const { log } = await startLog(redis.url, { lease_seconds: LEASE });
    const followed = collectFollow(log, flowId, 0, AbortSignal.timeout(30_000));
    owner.kill('SIGSTOP'); // a GC pause longer than the lease
    const frames = await followed;
    expect(frames).toEqual(['f1', 'f2', lostChunk(flowId), '[DONE]']);
    owner.kill('SIGCONT');

    expect((await owner.send({ op: 'append', flowId, frames: ['f3'] })).fenced).toBe(false);
    // The refusal comes back with the append's reply (write-behind).
    const status = await eventually(
      () => owner.send({ op: 'status', flowId }),
      (reply) => reply.fenced === true,
      'the owner to learn it is fenced',
    );
    expect(status.logged.join('\n')).toContain('served to local readers only');
    expect((await log.read(flowId, 0, 100)).frames).toEqual(['f1', 'f2', lostChunk(flowId), '[DONE]']);
  });
});
