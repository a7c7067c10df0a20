// Resume, detach and stop against a real server and the mock model, on the Node and fetch paths.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/resume/event-log.js';
import { createMemoryEventLog } from '../../src/resume/memory-event-log.js';
import { waitUntil } from '../helpers/wait.js';
import {
  answerOf,
  openStream,
  parseEvents,
  postStream,
  type ResumeServer,
  startResumeServer,
} from './resume-server.js';

const WORDS = Array.from({ length: 30 }, (_, i) => `w${i}`);
const ANSWER = WORDS.join(' ');
const slow = { answer: ANSWER, token_delay_ms: 15 };
const eventCount = (text: string) => parseEvents(text).filter((event) => event.id !== undefined).length;

let server: ResumeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(['node', 'fetch'] as const)('resumable runs (%s path)', (via) => {
  it('a dropped connection detaches; a resume gets every later event exactly once, in order, and the model is never aborted', async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory' }, llm: slow });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    const seen = parseEvents(await first.until((text) => eventCount(text) >= 3)).filter((e) => e.id);
    first.drop();
    const lastId = seen.at(-1)?.id as string;
    const llm = server.llm;
    // The run goes on with nobody reading: the model keeps producing.
    await waitUntil(() => llm.stats.completed === 1);
    const second = await openStream(`${server.url}/chat/runs/${runId}`, {
      headers: { 'last-event-id': lastId },
    });
    expect(second.status).toBe(200);
    const rest = parseEvents(await second.ended);
    expect(rest[0]?.retry).toBe('1000');
    const all = [...seen, ...rest];
    expect(all.map((event) => Number(event.id))).toEqual(all.map((_, i) => i + 1));
    expect(answerOf(all)).toBe(ANSWER);
    expect(all.at(-1)?.data).toBe('[DONE]');
    expect(llm.stats).toMatchObject({ started: 1, completed: 1, aborted: 0 });
  });

  it('a resume while the run is live joins it: replayed events, then live ones', async () => {
    server = await startResumeServer({
      via,
      resume: { backend: 'memory' },
      llm: { answer: ANSWER, token_delay_ms: 40 },
    });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    await first.until((text) => eventCount(text) >= 2);
    first.drop();
    const second = await openStream(`${server.url}/chat/runs/${runId}?last_event_id=1`);
    const events = parseEvents(await second.ended);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, i) => i + 2));
    expect(answerOf(events)).toBe(
      WORDS.slice(1)
        .map((word) => ` ${word}`)
        .join(''),
    );
    expect(server.llm.stats.aborted).toBe(0);
  });

  it('with no Last-Event-ID the run replays from its first event', async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory' } });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    const original = await first.ended;
    const again = await fetch(`${server.url}/chat/runs/${runId}`);
    expect(await again.text()).toBe(original);
  });

  it('a run nobody resumes within detach_seconds is aborted, and its model request closed', async () => {
    server = await startResumeServer({
      via,
      resume: { backend: 'memory', detach_seconds: 0.1 },
      llm: { answer: ANSWER, token_delay_ms: 200 },
    });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    await first.until((text) => eventCount(text) >= 1);
    first.drop();
    const llm = server.llm;
    await waitUntil(() => llm.stats.aborted === 1);
    expect(llm.stats.completed).toBe(0);
    // Its log says why, for a late reader.
    const late = parseEvents(await (await fetch(`${server.url}/chat/runs/${runId}?last_event_id=1`)).text());
    expect(late.at(-2)?.data).toContain('no reader resumed it within 0.1 s');
    expect(late.at(-1)?.data).toBe('[DONE]');
  });

  it('detach_seconds 0 aborts at the disconnect, as with resume off', async () => {
    server = await startResumeServer({
      via,
      resume: { backend: 'memory', detach_seconds: 0 },
      llm: { answer: ANSWER, token_delay_ms: 200 },
    });
    const first = await postStream(server.url, 'chat');
    await first.until((text) => eventCount(text) >= 1);
    first.drop();
    const llm = server.llm;
    await waitUntil(() => llm.stats.aborted === 1);
  });

  it('stop from a second connection: 202, the reader gets the stopped error chunk and [DONE], the model is aborted', async () => {
    server = await startResumeServer({
      via,
      resume: { backend: 'memory' },
      llm: { answer: ANSWER, token_delay_ms: 50 },
    });
    const reader = await postStream(server.url, 'chat');
    const runId = reader.headers['x-flowllm-run-id'] as string;
    await reader.until((text) => eventCount(text) >= 2);
    const stop = await fetch(`${server.url}/chat/runs/${runId}/stop`, { method: 'POST', body: 'ignored' });
    expect(stop.status).toBe(202);
    expect(await stop.json()).toEqual({ flow_id: runId, state: 'stopping' });
    const events = parseEvents(await reader.ended);
    const error = JSON.parse(events.at(-2)?.data as string);
    expect(error).toMatchObject({
      flow_id: runId,
      chunk_type: 'error',
      chunk: 'the run was stopped',
      done: true,
    });
    expect(events.at(-1)).toMatchObject({ data: '[DONE]', id: String(events.length) });
    const llm = server.llm;
    await waitUntil(() => llm.stats.aborted === 1);
    // Idempotent: a second stop reports the final state.
    const again = await fetch(`${server.url}/chat/runs/${runId}/stop`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ flow_id: runId, state: 'stopped' });
  });

  it("answers 204 for unknown runs, another flow's run, a fully read run and a trimmed one; 400 past the end or for a bad id", async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory', max_events_per_run: 4 } });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    const events = parseEvents(await first.ended);
    const last = events.length;
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server?.url}${path}`, { headers });
    expect((await get('/chat/runs/0123456789abcdef0123456789abcdef')).status).toBe(204);
    expect((await get(`/other/runs/${runId}`)).status).toBe(204);
    expect((await fetch(`${server.url}/other/runs/${runId}/stop`, { method: 'POST' })).status).toBe(204);
    expect((await get(`/chat/runs/${runId}`, { 'last-event-id': String(last) })).status).toBe(204);
    // Only the last 4 events are kept: a reader before them cannot get them all.
    expect((await get(`/chat/runs/${runId}`, { 'last-event-id': '1' })).status).toBe(204);
    const tail = await get(`/chat/runs/${runId}`, { 'last-event-id': String(last - 4) });
    expect(tail.status).toBe(200);
    expect(parseEvents(await tail.text()).map((event) => Number(event.id))).toEqual([
      last - 3,
      last - 2,
      last - 1,
      last,
    ]);
    expect((await get(`/chat/runs/${runId}`, { 'last-event-id': String(last + 1) })).status).toBe(400);
    expect((await get(`/chat/runs/${runId}`, { 'last-event-id': 'nope' })).status).toBe(400);
    expect((await get(`/chat/runs/${runId}?last_event_id=x`)).status).toBe(400);
  });

  it('?format=json answers the run state, or 404 with a reason', async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory', max_events_per_run: 3 } });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    const last = parseEvents(await first.ended).length;
    const known = await fetch(`${server.url}/chat/runs/${runId}?format=json`);
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual({
      flow_id: runId,
      flow: 'chat',
      state: 'finished',
      first_event_id: last - 2,
      last_event_id: last,
    });
    const unknown = await fetch(`${server.url}/other/runs/${runId}?format=json`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'no such run', reason: 'unknown' });
    const trimmed = await fetch(`${server.url}/chat/runs/${runId}?format=json&last_event_id=0`);
    expect(await trimmed.json()).toEqual({ detail: 'no such run', reason: 'trimmed' });
  });

  it('an expired run (past ttl_seconds) answers 204', async () => {
    const log = createMemoryEventLog();
    server = await startResumeServer({ via, resume: { backend: 'memory' }, eventLog: log });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    await first.ended;
    expect((await fetch(`${server.url}/chat/runs/${runId}?last_event_id=1`)).status).toBe(200);
    log.evict(Date.now() + 3_600_001);
    expect((await fetch(`${server.url}/chat/runs/${runId}?last_event_id=1`)).status).toBe(204);
  });

  it('a resumed reader counts against http.max_streams, and is released when it closes', async () => {
    server = await startResumeServer({
      via,
      resume: { backend: 'memory' },
      llm: { answer: ANSWER, token_delay_ms: 20 },
    });
    const cap = server.service.streamCap as unknown as { max: number; open: number };
    cap.max = 2;
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    const second = await openStream(`${server.url}/chat/runs/${runId}?last_event_id=0`);
    expect(second.status).toBe(200);
    // The run and one reader fill the cap: a third stream is refused before it starts.
    const third = await fetch(`${server.url}/chat/runs/${runId}?last_event_id=0`);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    await Promise.all([first.ended, second.ended]);
    await waitUntil(() => cap.open === 0);
  });

  it('answers 503 with Retry-After while the store is unavailable', async () => {
    const inner = createMemoryEventLog();
    let available = true;
    const log: EventLog = new Proxy(inner, {
      get: (target, key, receiver) =>
        key === 'available'
          ? available
          : (Reflect.get(target, key, receiver)?.bind?.(target) ?? Reflect.get(target, key)),
    });
    server = await startResumeServer({ via, resume: { backend: 'memory' }, eventLog: log });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    await first.ended;
    available = false;
    const down = await fetch(`${server.url}/chat/runs/${runId}`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${server.url}/chat/runs/${runId}/stop`, { method: 'POST' })).status).toBe(503);
    available = true;
    expect((await fetch(`${server.url}/chat/runs/${runId}`)).status).toBe(200);
  });
});

describe('the EventSource variant', () => {
  it('a GET reconnect with Last-Event-ID <flow_id>:<n> picks its run up after that event', async () => {
    server = await startResumeServer({ resume: { backend: 'memory' }, llm: slow });
    const first = await openStream(`${server.url}/chat?query=hi`);
    const runId = first.headers['x-flowllm-run-id'] as string;
    const seen = parseEvents(await first.until((text) => eventCount(text) >= 2)).filter((e) => e.id);
    first.drop();
    const again = await openStream(`${server.url}/chat?query=hi`, {
      headers: { 'last-event-id': seen.at(-1)?.id as string },
    });
    const rest = parseEvents(await again.ended);
    const all = [...seen, ...rest];
    expect(all.map((event) => event.id)).toEqual(all.map((_, i) => `${runId}:${i + 1}`));
    expect(answerOf(all)).toBe(ANSWER);
    expect(all.at(-1)?.event).toBe('done');
    // After the end, a reconnect is told to stop (204), as with resume off.
    const after = await fetch(`${server.url}/chat?query=hi`, {
      headers: { 'last-event-id': all.at(-1)?.id as string },
    });
    expect(after.status).toBe(204);
    expect(server.llm.stats).toMatchObject({ started: 1, aborted: 0 });
  });
});
