// Redis absent, refused or lost: clear errors without the password, no crash, `available` follows the
// connection, and writes held during an outage reach Redis in order once it is back.
import { collectFollow, eventually } from '@flowllm/conformance/event-log-contract';
import { freePort } from '@flowllm/conformance/nginx';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../conformance/src/util.js';
import { createRedisEventLog } from '../src/index.js';
import { closeAll, newFlowId, startLog, testConfig } from './helpers.ts';
import { type OwnerProcess, startOwner } from './owner-process.ts';

const SECRET = 'hunter2-s3cret';
const servers: RunningRedis[] = [];
const owners: OwnerProcess[] = [];
afterEach(async () => {
  for (const owner of owners.splice(0)) {
    owner.kill('SIGKILL');
    await owner.exited;
  }
  await closeAll();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function redisServer(options: Parameters<typeof startRedis>[0] = {}) {
  const server = await startRedis(options);
  servers.push(server);
  return server;
}

describe('Redis at start-up', () => {
  it('absent: start() fails fast with the address and without the password', async () => {
    const port = await freePort();
    const url = `redis://user:${SECRET}@127.0.0.1:${port}`;
    const log = createRedisEventLog({ url });
    const logger = recordingLogger();
    const started = performance.now();
    const error = await log.start({ instanceId: 'a', logger, config: testConfig() }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain(`cannot reach Redis at redis://***@127.0.0.1:${port}`);
    expect(error?.message).toMatch(/ECONNREFUSED|connect/i);
    expect(`${error?.message}\n${error?.stack}\n${JSON.stringify(logger.lines)}`).not.toContain(SECRET);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(log.available).toBe(false);
    await log.close();
  });

  it('wrong password: start() fails with the reason, not the password', async () => {
    const server = await redisServer({ args: ['--requirepass', 'the-right-one'] });
    const url = server.url.replace('redis://', `redis://:${SECRET}@`);
    const log = createRedisEventLog({ url });
    const error = await log.start({ instanceId: 'a', logger: recordingLogger(), config: testConfig() }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/WRONGPASS|invalid/i);
    expect(`${error?.message}\n${error?.stack}`).not.toContain(SECRET);
  });

  it('right password: it works', async () => {
    const server = await redisServer({ args: ['--requirepass', SECRET] });
    const { log } = await startLog(server.url.replace('redis://', `redis://:${SECRET}@`));
    const flowId = newFlowId();
    log.create({ flowId, flow: 'chat', variant: 'post' }).append(['a']);
    expect(
      await eventually(
        () => log.info(flowId),
        (info) => info?.lastSeq === 1,
        'the frame',
      ),
    ).toMatchObject({ state: 'running' });
  });

  it('rejects a URL that is not redis: or rediss:, naming the field', async () => {
    const log = createRedisEventLog({ url: `http://:${SECRET}@127.0.0.1:1` });
    const error = await log.start({ instanceId: 'a', logger: recordingLogger(), config: testConfig() }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toContain('resume.redis_url');
    expect(error?.message).not.toContain(SECRET);
  });
});

describe('Redis lost mid-run', () => {
  async function runThroughOutage(appendonly: boolean) {
    // With a password, to check that no error or log line of the outage shows it.
    const server = await redisServer({ appendonly, args: ['--requirepass', SECRET] });
    const url = server.url.replace('redis://', `redis://:${SECRET}@`);
    const owner = await startOwner({ REDIS_URL: url, LEASE_SECONDS: '1', INSTANCE_ID: newFlowId() });
    owners.push(owner);
    const flowId = newFlowId();
    await owner.send({ op: 'create', flowId });
    await owner.send({ op: 'append', flowId, frames: ['f1', 'f2'] });
    const { log: reader, logger } = await startLog(url, { lease_seconds: 1 });
    const followed = collectFollow(reader, flowId, 0, AbortSignal.timeout(60_000));

    await eventually(
      () => reader.info(flowId),
      (info) => info?.lastSeq === 2,
      'the first frames',
    );
    await server.kill();
    await eventually(
      () => owner.send({ op: 'status' }),
      (status) => !status.available,
      'the owner to see Redis gone',
    );
    await eventually(
      async () => reader.available,
      (available) => !available,
      'the reader to see Redis gone',
    );
    // Written while Redis is down: held, not thrown.
    await owner.send({ op: 'append', flowId, frames: ['f3'] });
    await owner.send({ op: 'append', flowId, frames: ['f4'] });

    await server.restart();
    await eventually(
      () => owner.send({ op: 'status' }),
      (status) => status.available,
      'the owner to reconnect',
    );
    await eventually(
      async () => reader.available,
      (available) => available,
      'the reader to reconnect',
    );
    return { owner, flowId, reader, followed, logger };
  }

  it('with AOF: no crash, available false then true, held appends arrive in order, readers complete', async () => {
    const { owner, flowId, followed, logger } = await runThroughOutage(true);
    await owner.send({ op: 'append', flowId, frames: ['[DONE]'] });
    await owner.send({ op: 'end', flowId });
    expect(await followed).toEqual(['f1', 'f2', 'f3', 'f4', '[DONE]']);
    const status = await owner.send({ op: 'status', flowId });
    expect(status.fenced).toBe(false);
    expect(status.logged.join('\n')).toContain('lost the connection to Redis');
    expect(status.logged.join('\n')).toContain('reconnected');
    expect(logger.lines.map((line) => line.message).join('\n')).toContain('lost the connection to Redis');
    expect(owner.child.exitCode).toBeNull();
    expect(owner.stderr()).not.toMatch(/uncaught|unhandled|Error:/i);
    expect(`${status.logged.join('\n')}\n${JSON.stringify(logger.lines)}\n${owner.stderr()}`).not.toContain(
      SECRET,
    );
  });

  it('without AOF: the owner stops writing to the emptied Redis; readers end without a made-up tail', async () => {
    const { owner, flowId, reader, followed } = await runThroughOutage(false);
    const status = await eventually(
      () => owner.send({ op: 'status', flowId }),
      (reply) => reply.fenced === true,
      'the owner to find its log gone',
    );
    expect(status.logged.join('\n')).toContain('its log is gone');
    // The run's keys went with the restart: the reader's follow ends with what it had, without [DONE].
    expect(await followed).toEqual(['f1', 'f2']);
    expect(await reader.info(flowId)).toBeUndefined();
    await owner.send({ op: 'append', flowId, frames: ['f5', '[DONE]'] });
    expect((await reader.read(flowId, 0, 10)).frames).toEqual([]);
    expect(owner.child.exitCode).toBeNull();
  });

  it('past maxQueuedWrites: the owner keeps only local readers, and remote readers end with an error', async () => {
    const server = await redisServer({ appendonly: true });
    const { log: owner, logger } = await startLog(server.url, { lease_seconds: 1 }, { maxQueuedWrites: 4 });
    const flowId = newFlowId();
    const writer = owner.create({ flowId, flow: 'chat', variant: 'post' });
    writer.append(['f1']);
    await eventually(
      () => owner.info(flowId),
      (info) => info?.lastSeq === 1,
      'the first frame',
    );
    await server.kill();
    await eventually(
      async () => owner.available,
      (available) => !available,
      'Redis gone',
    );
    for (let i = 2; i <= 9; i++) writer.append([`f${i}`]);
    expect(writer.fenced).toBe(true);
    expect(logger.lines.map((line) => line.message).join('\n')).toContain('too many writes were held');
    await server.restart();
    const { log: reader } = await startLog(server.url, { lease_seconds: 1 });
    // What was held reached Redis in order, then the closing error: a reader ends, it does not wait.
    const frames = await collectFollow(reader, flowId, 0, AbortSignal.timeout(30_000));
    // Four held writes fit (f2–f5); f6 was the first one dropped.
    expect(frames.slice(0, -2)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(JSON.parse(frames[frames.length - 2]!)).toMatchObject({ chunk_type: 'error', done: true });
    expect(frames[frames.length - 1]).toBe('[DONE]');
    expect(await reader.info(flowId)).toMatchObject({ state: 'lost', ended: true });
  });
});
