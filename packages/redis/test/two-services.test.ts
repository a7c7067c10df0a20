// Two flow services sharing one Redis, as two instances behind a load balancer would: a run started on
// A is resumed and stopped through B.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { conformanceOps, lettersConfig } from '@flowllm/conformance';
import { eventually } from '@flowllm/conformance/event-log-contract';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { createFlowService } from '@flowllm/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventLog, type RedisEventLog } from '../src/index.js';

let redis: RunningRedis;
const running: Array<{ server: http.Server; shutdown: () => void; log: RedisEventLog }> = [];
beforeAll(async () => {
  redis = await startRedis();
});
async function closeInstances() {
  for (const { server, shutdown, log } of running.splice(0)) {
    shutdown();
    server.closeAllConnections();
    server.close();
    await log.close();
  }
}
afterEach(closeInstances);
afterAll(async () => {
  await redis?.stop();
});

async function instance(
  server: RunningRedis = redis,
  tokenDelayMs = 30,
  resume: Record<string, unknown> = {},
) {
  const log = createRedisEventLog({ maxReconnectDelayMs: 100 });
  const config = {
    ...lettersConfig(),
    llm: { default: { backend: 'mock', answer: 'a b c d e f g h i j', token_delay_ms: tokenDelayMs } },
    resume: { backend: 'redis', redis_url: server.url, lease_seconds: 1, ...resume },
  };
  const service = createFlowService(config as Parameters<typeof createFlowService>[0], {
    ops: conformanceOps,
    eventLog: log,
  });
  await service.ready();
  const httpServer = http.createServer(service.node);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  running.push({ server: httpServer, shutdown: () => service.shutdown(), log });
  return { log, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

/** `[id, data]` of each SSE event in `body`. */
function events(body: string): Array<[number, string]> {
  return body
    .split('\n\n')
    .filter((event) => event.includes('data:'))
    .map((event) => {
      const id = /^id:(\d+)$/m.exec(event)?.[1];
      const data = /^data:(.*)$/m.exec(event)?.[1] ?? '';
      return [Number(id), data];
    });
}

async function startRun(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"hi"}',
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const runId = response.headers.get('x-flowllm-run-id') ?? '';
  expect(runId).toMatch(/^[0-9a-f]{32}$/);
  const reader = response.body!.getReader();
  let body = '';
  const readUntil = async (done: (text: string) => boolean) => {
    while (!done(body)) {
      const part = await reader.read();
      if (part.done) break;
      body += new TextDecoder().decode(part.value);
    }
    return body;
  };
  return { runId, controller, readUntil };
}

describe('two services on one Redis', () => {
  it('a run started on A and dropped is resumed through B: every event once, in order', async () => {
    const a = await instance();
    const b = await instance();
    const run = await startRun(a.url);
    const first = events(await run.readUntil((text) => events(text).length >= 2));
    run.controller.abort();
    const lastSeen = first[first.length - 1]![0];

    const resumed = await fetch(`${b.url}/ask/runs/${run.runId}`, {
      headers: { 'last-event-id': String(lastSeen) },
    });
    expect(resumed.status).toBe(200);
    const rest = events(await resumed.text());
    const all = [...first, ...rest];
    expect(all.map(([id]) => id)).toEqual(all.map((_, i) => i + 1));
    expect(all[all.length - 1]![1]).toBe('[DONE]');
    const logged = await b.log.read(run.runId, 0, 100);
    expect(all.map(([, data]) => data)).toEqual(logged.frames);
    const text = all
      .slice(0, -1)
      .map(([, data]) => (JSON.parse(data) as { chunk: string }).chunk)
      .join('');
    expect(text).toBe('a b c d e f g h i j');
  });

  it('a run on A is stopped through B: A aborts it and its reader gets the stopped chunk and [DONE]', async () => {
    const a = await instance();
    const b = await instance();
    const run = await startRun(a.url);
    await run.readUntil((text) => events(text).length >= 1);
    const stop = await fetch(`${b.url}/ask/runs/${run.runId}/stop`, { method: 'POST' });
    expect(stop.status).toBe(202);
    const body = await run.readUntil((text) => text.includes('data:[DONE]'));
    const all = events(body);
    expect(all[all.length - 1]![1]).toBe('[DONE]');
    expect(JSON.parse(all[all.length - 2]![1])).toMatchObject({
      chunk_type: 'error',
      chunk: 'the run was stopped',
    });
    // Fewer than all ten letters: it was stopped, not finished.
    expect(all.length).toBeLessThan(12);
    expect(
      await eventually(
        () => b.log.info(run.runId),
        (info) => info?.state === 'stopped',
        'the stopped state in Redis',
      ),
    ).toMatchObject({ ended: true });
  });

  it('a reader on B that comes and goes (away longer than a lease, shorter than detach_seconds) keeps the run alive', async () => {
    // 10 tokens 400 ms apart (4 s); detach after 2 s without any reader; reader marks last 1 s.
    const a = await instance(redis, 400, { detach_seconds: 2 });
    const b = await instance(redis, 400, { detach_seconds: 2 });
    const run = await startRun(a.url);
    let seen = events(await run.readUntil((text) => events(text).length >= 1));
    run.controller.abort();
    let last = seen[seen.length - 1]![0];
    const all = [...seen];
    while (all[all.length - 1]![1] !== '[DONE]') {
      // Away 1.5 s: the mark of the last visit expires before the next one.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const visit = await fetch(`${b.url}/ask/runs/${run.runId}`, {
        headers: { 'last-event-id': String(last) },
      });
      expect(visit.status).toBe(200);
      const reader = visit.body!.getReader();
      const part = await reader.read();
      await reader.cancel();
      seen = events(part.done ? '' : new TextDecoder().decode(part.value));
      all.push(...seen);
      if (seen.length > 0) last = seen[seen.length - 1]![0];
    }
    expect(all.map(([id]) => id)).toEqual(all.map((_, i) => i + 1));
    const text = all
      .slice(0, -1)
      .map(([, data]) => (JSON.parse(data) as { chunk: string }).chunk)
      .join('');
    expect(text).toBe('a b c d e f g h i j');
  });

  it('detach_seconds: 0 aborts at the disconnect even while B reads: B gets the abandoned chunk and [DONE]', async () => {
    const a = await instance(redis, 200, { detach_seconds: 0 });
    const b = await instance(redis, 200, { detach_seconds: 0 });
    const run = await startRun(a.url);
    await run.readUntil((text) => events(text).length >= 1);
    const follower = await fetch(`${b.url}/ask/runs/${run.runId}`, { headers: { 'last-event-id': '1' } });
    expect(follower.status).toBe(200);
    run.controller.abort();
    const rest = events(await follower.text());
    expect(rest[rest.length - 1]![1]).toBe('[DONE]');
    expect(JSON.parse(rest[rest.length - 2]![1])).toMatchObject({ chunk_type: 'error' });
    expect(rest.length).toBeLessThan(11);
  });

  it('Redis lost mid-run: the local reader completes, resume answers 503, then (with AOF) 200 with the rest', async () => {
    const aof = await startRedis({ appendonly: true });
    try {
      // 10 tokens 150 ms apart: the run outlasts the outage.
      const a = await instance(aof, 150);
      const b = await instance(aof, 150);
      const run = await startRun(a.url);
      await run.readUntil((text) => events(text).length >= 1);
      await aof.kill();
      await eventually(
        async () => b.log.available,
        (available) => !available,
        'B to see Redis gone',
      );
      const down = await fetch(`${b.url}/ask/runs/${run.runId}`, { headers: { 'last-event-id': '1' } });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      await down.text();

      const local = events(await run.readUntil((text) => text.includes('data:[DONE]')));
      expect(local.map(([id]) => id)).toEqual(local.map((_, i) => i + 1));
      expect(local).toHaveLength(11);

      await aof.restart();
      await eventually(
        async () => a.log.available && b.log.available,
        (available) => available,
        'both to reconnect',
      );
      // A flushes what it held; B then serves the whole run.
      const resumed = await eventually(
        async () => {
          const response = await fetch(`${b.url}/ask/runs/${run.runId}`, {
            headers: { 'last-event-id': '1' },
          });
          return { status: response.status, body: await response.text() };
        },
        (reply) => reply.status === 200 && reply.body.includes('data:[DONE]'),
        'the resumed run through B',
      );
      expect(events(resumed.body)).toEqual(local.slice(1));
    } finally {
      await closeInstances();
      await aof.stop();
    }
  });
});
