import { HANG_MS, openStream, postJson, type StreamClient, send, sleep } from '@flowllm/conformance';
import { findNginx } from '@flowllm/conformance/nginx';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, runSeed, seededRandom } from '../src/random.js';
import { record } from '../src/report.js';
import {
  type Instance,
  startInstance,
  startUpstreamProxy,
  type UpstreamProxy,
} from '../src/resume-cluster.js';
import { SIZE } from '../src/sizes.js';

const WORDS = 80;
const LEASE_SECONDS = 1;
const { runs: RUNS, concurrency: CONCURRENCY } = SIZE.resume;

/** One SSE event: its id and data (comment-only events, the heartbeats, are left out). */
interface WireEvent {
  id: string;
  data: string;
}

/** The complete events of a raw body; a trailing partial event is not one. */
function wireEvents(text: string): WireEvent[] {
  const events: WireEvent[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    const lines = block.split('\n').filter((line) => !line.startsWith(':') && !line.startsWith('retry:'));
    if (lines.length === 0) continue;
    const id = lines.find((line) => line.startsWith('id:'))?.slice(3) ?? '';
    const data = lines.find((line) => line.startsWith('data:'))?.slice(5) ?? '';
    events.push({ id, data });
  }
  return events;
}

/** The `retry:` hint a response started with, in ms (0 when there is none). */
const retryHint = (text: string) => Number(/^retry:(\d+)\n/.exec(text)?.[1] ?? 0);

/** A chunk's text (`chunk`), or `[DONE]`. */
const textOf = (event: WireEvent) =>
  event.data === '[DONE]' ? '[DONE]' : String((JSON.parse(event.data) as { chunk: unknown }).chunk);

/** Tokens `t<i>` lost, doubled and out of order in what a client read, against `t0 … t<words-1>`. */
function tally(events: WireEvent[], words: number) {
  const seen = events
    .map(textOf)
    .filter((text) => text !== '[DONE]')
    .map((text) => Number(/^ ?t(\d+)$/.exec(text)?.[1] ?? Number.NaN));
  const counts = new Map<number, number>();
  for (const token of seen) counts.set(token, (counts.get(token) ?? 0) + 1);
  let lost = 0;
  for (let i = 0; i < words; i++) if (!counts.has(i)) lost++;
  let duplicated = 0;
  for (const count of counts.values()) duplicated += count - 1;
  let reordered = 0;
  for (let i = 1; i < seen.length; i++) if (!(seen[i]! > seen[i - 1]!)) reordered++;
  const foreign = seen.filter((token) => !(token >= 0 && token < words)).length;
  return { lost, duplicated, reordered, foreign };
}

/** Waits until `client` holds at least `count` complete events (or its stream ended). */
const eventsReceived = (client: StreamClient, count: number) =>
  client.waitForText((text) => wireEvents(text).length >= count || text.endsWith('data:[DONE]\n\n'));

/** Polls an async condition (an instance's stats) every 50 ms; fails after `HANG_MS`. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + HANG_MS;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${HANG_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const runIdOf = async (client: StreamClient) =>
  (await client.response).headers['x-flowllm-run-id'] as string | undefined;

describe('resume across two instances sharing one Redis, behind nginx', () => {
  let redis: RunningRedis;
  let a: Instance;
  let b: Instance;
  let nginx: UpstreamProxy;
  const extra: Instance[] = [];

  beforeAll(async () => {
    findNginx();
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, LEASE_SECONDS: String(LEASE_SECONDS), ANSWER_WORDS: String(WORDS) };
    [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
    nginx = await startUpstreamProxy([a, b]);
  }, 120_000);

  afterAll(async () => {
    await nginx?.close();
    for (const instance of [a, b, ...extra]) await instance?.kill();
    await redis?.stop();
  });

  it('a run started on A and dropped is resumed through B: every event once, in order; A’s model never aborted', async () => {
    const before = await b.stats();
    const first = openStream(a.url, '/chat', { body: { query: 'hi' } });
    const runId = await runIdOf(first);
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    await eventsReceived(first, 5);
    first.destroy();
    await first.ended;
    const head = wireEvents(first.text());
    const lastSeen = head.at(-1)!.id;
    const resumed = openStream(b.url, `/chat/runs/${runId}`, {
      method: 'GET',
      headers: { 'last-event-id': lastSeen },
    });
    expect((await resumed.response).statusCode).toBe(200);
    await resumed.ended;
    expect(resumed.complete).toBe(true);
    const tail = wireEvents(resumed.text());
    const all = [...head, ...tail];
    expect(all.map((event) => event.id)).toEqual(all.map((_, i) => String(i + 1)));
    expect(all.at(-1)!.data).toBe('[DONE]');
    expect(tally(all, WORDS)).toEqual({ lost: 0, duplicated: 0, reordered: 0, foreign: 0 });
    const [onA, onB] = await Promise.all([a.stats(), b.stats()]);
    expect(onB.requests.resume - before.requests.resume).toBe(1);
    // B only read the log: its own model never ran for this run.
    expect(onB.model.started).toBe(before.model.started);
    expect(onA.model.aborted).toBe(0);
    expect(onA.model.completed).toBe(1);
  });

  it('a stop through B aborts the run on A: 202, A’s model aborted, A’s reader gets the stop chunk and [DONE]', async () => {
    const reader = openStream(a.url, '/chat', { body: { query: 'hi' } });
    const runId = await runIdOf(reader);
    await eventsReceived(reader, 2);
    const abortedBefore = (await a.stats()).model.aborted;
    const stop = await send(b.url, `/chat/runs/${runId}/stop`, { method: 'POST' });
    expect(stop.status).toBe(202);
    expect(JSON.parse(stop.body)).toEqual({ flow_id: runId, state: 'stopping' });
    await reader.ended;
    expect(reader.complete).toBe(true);
    const events = wireEvents(reader.text());
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)!.data)).toMatchObject({
      chunk_type: 'error',
      chunk: 'the run was stopped',
      done: true,
    });
    expect(events.length).toBeLessThan(WORDS);
    await until(async () => (await a.stats()).model.aborted === abortedBefore + 1, 'A’s model to be aborted');
    // A later stop, through either instance, reports how it ended.
    const again = await postJson(a.url, `/chat/runs/${runId}/stop`, {});
    expect(again.status).toBe(202);
    expect(JSON.parse(again.body)).toEqual({ flow_id: runId, state: 'stopped' });
  });
  it(`${RUNS} runs through nginx (round robin), each dropped and resumed at random points: 0 lost, 0 duplicated, 0 reordered`, async () => {
    const seed = runSeed();
    const random = seededRandom(seed);
    const before = await Promise.all([a.stats(), b.stats()]);
    let drops = 0;
    const results = await pool(RUNS, CONCURRENCY, async (index) => {
      // Decided up front, so a seed replays the same drops whatever the timing.
      const plan = Array.from({ length: 1 + Math.floor(random() * 3) }, () => 1 + Math.floor(random() * 30));
      const viaQuery = random() < 0.5;
      const events: WireEvent[] = [];
      let client = openStream(nginx.url, '/chat', { body: { query: `run ${index}` } });
      const runId = await runIdOf(client);
      if (!runId)
        throw new Error(`run ${index}: no x-flowllm-run-id (status ${(await client.response).statusCode})`);
      for (;;) {
        const dropAfter = plan.shift();
        if (dropAfter !== undefined) {
          await eventsReceived(client, dropAfter);
          client.destroy();
        }
        await client.ended;
        events.push(...wireEvents(client.text()));
        if (events.at(-1)?.data === '[DONE]') break;
        if (dropAfter !== undefined) drops++;
        // As an EventSource or @flowllm/client does: wait the server's retry: hint before reconnecting
        // (the other instance may not yet know a run whose first store write is still on its way).
        await sleep(retryHint(client.text()));
        const last = events.at(-1)?.id;
        const path = `/chat/runs/${runId}${viaQuery && last ? `?last_event_id=${last}` : ''}`;
        const headers: Record<string, string> = !viaQuery && last ? { 'last-event-id': last } : {};
        client = openStream(nginx.url, path, { method: 'GET', headers });
        const status = (await client.response).statusCode;
        if (status !== 200) throw new Error(`run ${index}: resume after ${last} answered ${status}`);
      }
      const ids = events.map((event) => event.id);
      const idsInOrder = ids.every((id, i) => id === String(i + 1));
      return { ...tally(events, WORDS), idsInOrder };
    });
    const total = { lost: 0, duplicated: 0, reordered: 0, foreign: 0, badIds: 0 };
    for (const result of results) {
      total.lost += result.lost;
      total.duplicated += result.duplicated;
      total.reordered += result.reordered;
      total.foreign += result.foreign;
      if (!result.idsInOrder) total.badIds++;
    }
    const after = await Promise.all([a.stats(), b.stats()]);
    const served = after.map((stats, i) => ({
      start: stats.requests.start - before[i]!.requests.start,
      resume: stats.requests.resume - before[i]!.requests.resume,
    }));
    console.log(
      `[resume cluster] ${RUNS} runs, ${drops} drops (seed ${seed}): lost ${total.lost}, duplicated ${total.duplicated}, reordered ${total.reordered}; A served ${JSON.stringify(served[0])}, B ${JSON.stringify(served[1])}`,
    );
    record('resume', 'cluster-drops', { runs: RUNS, drops, seed, ...total, served });
    expect(total).toEqual({ lost: 0, duplicated: 0, reordered: 0, foreign: 0, badIds: 0 });
    expect(drops).toBeGreaterThanOrEqual(RUNS);
    // nginx spread the work: both instances started runs and both served resumes.
    for (const count of served) {
      expect(count.start).toBeGreaterThan(0);
      expect(count.resume).toBeGreaterThan(0);
    }
    // Nobody was aborted: every dropped run was resumed long before detach_seconds.
    expect(after.map((stats) => stats.model.aborted)).toEqual(before.map((stats) => stats.model.aborted));
  }, 180_000);

  it('an instance killed mid-run: a reader on B gets every event it logged, then "the run was lost" and [DONE]', async () => {
    // A third instance, so A and B live on; its answer lasts ~10 s, so the kill lands mid-run.
    const doomed = await startInstance('C', {
      REDIS_URL: redis.url,
      LEASE_SECONDS: String(LEASE_SECONDS),
      ANSWER_WORDS: '400',
    });
    extra.push(doomed);
    const own = openStream(doomed.url, '/chat', { body: { query: 'hi' } });
    const runId = await runIdOf(own);
    // Until C's first append reaches Redis, other instances do not know the run: wait until B does.
    await eventsReceived(own, 1);
    await until(
      async () => (await fetch(`${b.url}/chat/runs/${runId}?format=json`)).status === 200,
      'B to know the run',
    );
    const follower = openStream(b.url, `/chat/runs/${runId}`, { method: 'GET' });
    expect((await follower.response).statusCode).toBe(200);
    await eventsReceived(follower, 5);
    const killedAt = performance.now();
    await doomed.kill();
    await follower.waitForText((text) => text.endsWith('data:[DONE]\n\n'), HANG_MS);
    const detectedMs = performance.now() - killedAt;
    await follower.ended;
    const events = wireEvents(follower.text());
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => String(i + 1)));
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)!.data)).toMatchObject({
      chunk_type: 'error',
      chunk: 'the run was lost: its server stopped responding',
      done: true,
    });
    // Every event C's own client got (all C sent before it died) reached the reader on B too.
    const seenByOwn = wireEvents(own.text());
    expect(events.slice(0, seenByOwn.length)).toEqual(seenByOwn);
    const tokens = events.slice(0, -2);
    expect(tally(tokens, tokens.length)).toEqual({ lost: 0, duplicated: 0, reordered: 0, foreign: 0 });
    console.log(
      `[resume cluster] instance killed → "lost" chunk on the other instance: ${detectedMs.toFixed(0)} ms (lease_seconds ${LEASE_SECONDS})`,
    );
    record('resume', 'instance-killed', { detectedMs, leaseSeconds: LEASE_SECONDS, events: events.length });
    const state = await send(a.url, `/chat/runs/${runId}?format=json`);
    expect(JSON.parse(state.body)).toMatchObject({ flow_id: runId, state: 'lost' });
  }, 60_000);

  it('neither instance logged an error', async () => {
    for (const instance of [a, b]) {
      const { logs } = await instance.stats();
      expect(
        logs.filter((line) => line.level === 'error'),
        instance.name,
      ).toEqual([]);
    }
  });
});

describe.each([
  { appendonly: false, after: 'the run’s log is gone: resume answers 204' },
  { appendonly: true, after: 'the owner flushes what it held: resume answers 200 with the rest' },
])('Redis restarted mid-run (appendonly $appendonly)', ({ appendonly, after }) => {
  let redis: RunningRedis;
  let owner: Instance;
  let other: Instance;

  beforeAll(async () => {
    redis = await startRedis({ appendonly });
    // 120 tokens, 25 ms apart: the run outlasts the outage.
    const env = { REDIS_URL: redis.url, LEASE_SECONDS: String(LEASE_SECONDS), ANSWER_WORDS: '120' };
    [owner, other] = await Promise.all([startInstance('owner', env), startInstance('other', env)]);
  }, 120_000);

  afterAll(async () => {
    for (const instance of [owner, other]) await instance?.kill();
    await redis?.stop();
  });

  it(`the owner's reader completes, resume answers 503 meanwhile, then ${after}`, async () => {
    const reader = openStream(owner.url, '/chat', { body: { query: 'hi' } });
    const runId = await runIdOf(reader);
    await eventsReceived(reader, 3);
    const killedAt = performance.now();
    await redis.kill();
    // The other instance answers 503 (with Retry-After) while Redis is gone: never a hang, never a 204.
    const down = await send(other.url, `/chat/runs/${runId}`, { headers: { 'last-event-id': '2' } });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    // New stream-flow runs cannot be logged either: 503 before the flow starts.
    const refused = await postJson(other.url, '/chat', { query: 'hi' });
    expect(refused.status).toBe(503);

    await reader.ended;
    expect(reader.complete).toBe(true);
    const local = wireEvents(reader.text());
    expect(local.map((event) => event.id)).toEqual(local.map((_, i) => String(i + 1)));
    expect(local.at(-1)!.data).toBe('[DONE]');
    expect(tally(local, 120)).toEqual({ lost: 0, duplicated: 0, reordered: 0, foreign: 0 });

    await redis.restart();
    const outageMs = performance.now() - killedAt;
    let resumed = await send(other.url, `/chat/runs/${runId}`, { headers: { 'last-event-id': '2' } });
    await until(async () => {
      resumed = await send(other.url, `/chat/runs/${runId}`, { headers: { 'last-event-id': '2' } });
      return resumed.status !== 503 && (appendonly ? resumed.body.endsWith('data:[DONE]\n\n') : true);
    }, 'the other instance to answer again');
    const recoveredMs = performance.now() - killedAt;
    if (appendonly) {
      expect(resumed.status).toBe(200);
      const ids = (events: WireEvent[]) => events.map(({ id, data }) => ({ id, data }));
      expect(ids(wireEvents(resumed.body))).toEqual(ids(local.slice(2)));
    } else {
      expect(resumed.status).toBe(204);
    }
    // Runs started after the restart are resumable through the other instance again, once the owner's
    // own Redis client is back too (it reconnects on its own schedule, not the other instance's).
    await until(
      async () => (await postJson(owner.url, '/chat', { query: 'probe' })).status !== 503,
      'the owner to log runs again',
    );
    const fresh = openStream(owner.url, '/chat', { body: { query: 'again' } });
    const freshId = await runIdOf(fresh);
    await eventsReceived(fresh, 2);
    await sleep(retryHint(fresh.text()));
    const follow = await send(other.url, `/chat/runs/${freshId}`);
    expect(follow.status).toBe(200);
    expect(follow.body.endsWith('data:[DONE]\n\n')).toBe(true);
    console.log(
      `[resume cluster] Redis killed mid-run, restarted (appendonly ${appendonly}): local reader complete; resume 503 during the outage (${outageMs.toFixed(0)} ms), then ${resumed.status} ${recoveredMs.toFixed(0)} ms after the kill`,
    );
    record('resume', `redis-restart-aof-${appendonly}`, {
      appendonly,
      outageMs,
      recoveredMs,
      statusAfter: resumed.status,
      localEvents: local.length,
    });
  }, 60_000);
});
