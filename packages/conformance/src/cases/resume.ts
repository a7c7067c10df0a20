import { describe, expect, it } from 'vitest';
import { DONE, FLOW_ID, openStream, postJson, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { HOST } from '../types.js';
import { flows, HANG_MS, sleep, waitFor } from '../util.js';

// 60 tokens, 30 ms apart: ~1.8 s of model time, so a resume started after a few events finds the run
// still live (an abort or an early end would show in the model's stats, not as a slow test).
const WORDS = Array.from({ length: 60 }, (_, i) => `w${i}`);
const ANSWER = WORDS.join(' ');

const config = (resume: Record<string, unknown> | undefined, tokenDelayMs = 30) => ({
  ...(resume && { resume }),
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    other: { flow_content: 'StreamChatOp()', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: ANSWER, token_delay_ms: tokenDelayMs } },
});

const MEMORY = { backend: 'memory' };

/** One SSE event as it went over the wire (comment-only events, the heartbeats, are left out). */
interface WireEvent {
  id?: string;
  retry?: string;
  event?: string;
  data?: string;
}

/** The complete events of a raw body, in order; a trailing partial event is not one. */
function wireEvents(text: string): WireEvent[] {
  const blocks = text.split('\n\n').slice(0, -1);
  const events: WireEvent[] = [];
  for (const block of blocks) {
    const event: WireEvent = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = line.slice(0, colon) as keyof WireEvent;
      if (!['id', 'retry', 'event', 'data'].includes(field)) throw new Error(`unexpected SSE line ${line}`);
      event[field] = line.slice(colon + 1);
    }
    if (Object.keys(event).length > 0) events.push(event);
  }
  return events;
}

/** The `chunk` strings of the events' data (chunks only: `[DONE]` is left out). */
function chunkTexts(events: WireEvent[]): string[] {
  return events
    .filter((event) => event.data?.startsWith('{'))
    .map((event) => String((JSON.parse(event.data!) as { chunk: unknown }).chunk));
}

/** The chunks' `chunk_type`/`chunk` pairs, with the run's flow_id checked on every one. */
function chunksOf(events: WireEvent[], flowId: string): { type: string; text: unknown; done: boolean }[] {
  return events
    .filter((event) => event.data?.startsWith('{'))
    .map((event) => {
      const chunk = JSON.parse(event.data!) as {
        flow_id: string;
        chunk_type: string;
        chunk: unknown;
        done: boolean;
      };
      expect(chunk.flow_id).toBe(flowId);
      return { type: chunk.chunk_type, text: chunk.chunk, done: chunk.done };
    });
}

/** The ids `from`, `from + 1`, … `to` as strings (with a `<flow_id>:` prefix when given). */
const idRange = (from: number, to: number, prefix = '') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** Resume by Last-Event-ID (memory store): the wire, the run routes, detach and stop. */
export function resumeCases(ctx: SuiteContext): void {
  describe('resume (memory store)', () => {
    it('numbers every event with id:, sends retry: first, names the run in x-flowllm-run-id, and gives [DONE] an id', async () => {
      const { url } = await ctx.start(config({ ...MEMORY, retry_ms: 250 }, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      expect(reply.status).toBe(200);
      const runId = reply.headers['x-flowllm-run-id'];
      expect(runId).toMatch(FLOW_ID);
      expect(reply.body.startsWith('retry:250\nid:1\ndata:{')).toBe(true);
      // retry: once, on the first event only.
      expect(reply.body.match(/^retry:/gm)).toHaveLength(1);
      const events = wireEvents(reply.body);
      const last = events.length;
      expect(events.map((event) => event.id)).toEqual(idRange(1, last));
      expect(reply.body.endsWith(`\n\nid:${last}\n${DONE}`)).toBe(true);
      expect(events.every((event) => event.event === undefined)).toBe(true);
      expect(chunksOf(events, runId as string).map((chunk) => chunk.text)).toEqual(
        WORDS.map((word, i) => (i === 0 ? word : ` ${word}`)),
      );
    });

    it('resumes after a dropped connection: exactly the events after Last-Event-ID, then the live ones, then [DONE]', async () => {
      const { url, llm } = await ctx.start(config(MEMORY));
      const first = openStream(url, '/talk', { body: { query: 'hi' } });
      const response = await first.response;
      const runId = response.headers['x-flowllm-run-id'] as string;
      expect(runId).toMatch(FLOW_ID);
      await first.waitForText((text) => wireEvents(text).length >= 3);
      first.destroy();
      await first.ended;
      // Whatever arrived before the drop, up to its last complete event.
      const before = wireEvents(first.text());
      const lastSeen = Number(before.at(-1)!.id);
      expect(before.map((event) => event.id)).toEqual(idRange(1, lastSeen));

      const resumed = openStream(url, `/talk/runs/${runId}`, {
        method: 'GET',
        headers: { 'last-event-id': String(lastSeen) },
      });
      expect((await resumed.response).statusCode).toBe(200);
      expect((await resumed.response).headers['content-type']).toMatch(/^text\/event-stream/);
      expect((await resumed.response).headers['x-flowllm-run-id']).toBe(runId);
      await resumed.waitForText((text) => wireEvents(text).length >= 1);
      // Live: the model is still producing (the run outlived its first connection, unaborted).
      const stats = llm().stats;
      expect(stats.completed).toBe(0);
      expect(stats.aborted).toBe(0);
      await resumed.ended;
      expect(resumed.complete).toBe(true);
      const after = wireEvents(resumed.text());
      expect(resumed.text().startsWith(`retry:1000\nid:${lastSeen + 1}\n`)).toBe(true);
      const end = lastSeen + after.length;
      expect(after.map((event) => event.id)).toEqual(idRange(lastSeen + 1, end));
      expect(resumed.text().endsWith(`id:${end}\n${DONE}`)).toBe(true);
      // Every token exactly once, in order, across the two connections.
      expect([...chunkTexts(before), ...chunkTexts(after)].join('')).toBe(ANSWER);
      expect(stats.started).toBe(1);
      expect(stats.completed).toBe(1);
      expect(stats.aborted).toBe(0);
    });

    it('takes the position from ?last_event_id= too, and the header wins over the query', async () => {
      const { url } = await ctx.start(config(MEMORY, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      const runId = reply.headers['x-flowllm-run-id'] as string;
      const total = wireEvents(reply.body).length;
      const viaQuery = await send(url, `/talk/runs/${runId}?last_event_id=5`);
      expect(viaQuery.status).toBe(200);
      expect(wireEvents(viaQuery.body).map((event) => event.id)).toEqual(idRange(6, total));
      expect(viaQuery.body.endsWith(`id:${total}\n${DONE}`)).toBe(true);
      // An EventSource reconnect keeps its old query and sends a newer header.
      const both = await send(url, `/talk/runs/${runId}?last_event_id=5`, {
        headers: { 'last-event-id': '9' },
      });
      expect(wireEvents(both.body)[0]!.id).toBe('10');
      // No position at all: the whole run, byte for byte what the POST got.
      const whole = await send(url, `/talk/runs/${runId}`);
      expect(whole.body).toBe(reply.body);
    });

    it('answers 204 for a run read to its end, an unknown run and another flow’s run; ?format=json says why', async () => {
      const { url } = await ctx.start(config(MEMORY, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      const runId = reply.headers['x-flowllm-run-id'] as string;
      const doneId = wireEvents(reply.body).at(-1)!.id!;
      const unknown = 'f'.repeat(32);
      for (const [path, headers] of [
        [`/talk/runs/${runId}`, { 'last-event-id': doneId }],
        [`/talk/runs/${unknown}`, {}],
        [`/other/runs/${runId}`, {}],
        [`/other/runs/${runId}`, { 'last-event-id': '1' }],
        // An EventSource id naming another run: a reader that lost its place.
        [`/talk/runs/${runId}`, { 'last-event-id': `${unknown}:1` }],
      ] as const) {
        const gone = await send(url, path, { headers });
        expect(gone.status, path).toBe(204);
        expect(gone.body, path).toBe('');
        expect(gone.headers['content-length'], path).toBeUndefined();
      }
      const state = await send(url, `/talk/runs/${runId}?format=json`);
      expect(state.status).toBe(200);
      expect(JSON.parse(state.body)).toEqual({
        flow_id: runId,
        flow: 'talk',
        state: 'finished',
        first_event_id: 1,
        last_event_id: Number(doneId),
      });
      // Another flow's run reads exactly like an unknown one: nothing leaks across flows.
      for (const path of [`/talk/runs/${unknown}?format=json`, `/other/runs/${runId}?format=json`]) {
        const missing = await send(url, path);
        expect(missing.status, path).toBe(404);
        expect(JSON.parse(missing.body), path).toEqual({ detail: 'no such run', reason: 'unknown' });
      }
    });

    it('answers 204 (?format=json: "trimmed") once the events after the id were dropped past max_events_per_run', async () => {
      const { url } = await ctx.start(config({ ...MEMORY, max_events_per_run: 5 }, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      const runId = reply.headers['x-flowllm-run-id'] as string;
      const total = wireEvents(reply.body).length;
      // The client that started the run got every event: the cap only bounds what is kept.
      expect(total).toBe(WORDS.length + 1);
      const first = total - 4;
      for (const headers of [{ 'last-event-id': '1' }, {}] as Record<string, string>[]) {
        const trimmed = await send(url, `/talk/runs/${runId}`, { headers });
        expect(trimmed.status, JSON.stringify(headers)).toBe(204);
      }
      const state = await send(url, `/talk/runs/${runId}?format=json&last_event_id=1`);
      expect(state.status).toBe(404);
      expect(JSON.parse(state.body)).toEqual({ detail: 'no such run', reason: 'trimmed' });
      const known = await send(url, `/talk/runs/${runId}?format=json`);
      expect(JSON.parse(known.body)).toMatchObject({ first_event_id: first, last_event_id: total });
      // From the first kept event on, the tail is still there.
      const tail = await send(url, `/talk/runs/${runId}`, {
        headers: { 'last-event-id': String(first - 1) },
      });
      expect(tail.status).toBe(200);
      expect(wireEvents(tail.body).map((event) => event.id)).toEqual(idRange(first, total));
    });

    it('refuses a malformed Last-Event-ID and one past the run’s end with 400', async () => {
      const { url } = await ctx.start(config(MEMORY, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      const runId = reply.headers['x-flowllm-run-id'] as string;
      const total = wireEvents(reply.body).length;
      for (const id of ['abc', '-1', String(total + 1)]) {
        const refused = await send(url, `/talk/runs/${runId}`, { headers: { 'last-event-id': id } });
        expect(refused.status, id).toBe(400);
        expect(JSON.parse(refused.body), id).toHaveProperty('detail');
      }
    });

    it('stops a run: 202 "stopping", the model is aborted, the reader gets an error chunk then [DONE]; again → 202 "stopped"', async () => {
      const { url, llm } = await ctx.start(config(MEMORY));
      const reader = openStream(url, '/talk', { body: { query: 'hi' } });
      const runId = (await reader.response).headers['x-flowllm-run-id'] as string;
      await reader.waitForText((text) => wireEvents(text).length >= 2);
      // Through another flow's name the run is unknown: 204, and it goes on.
      const foreign = await postJson(url, `/other/runs/${runId}/stop`, {});
      expect(foreign.status).toBe(204);
      expect(llm().stats.aborted).toBe(0);

      const stop = await send(url, `/talk/runs/${runId}/stop`, { method: 'POST' });
      expect(stop.status).toBe(202);
      expect(JSON.parse(stop.body)).toEqual({ flow_id: runId, state: 'stopping' });
      await reader.ended;
      expect(reader.complete).toBe(true);
      const stats = llm().stats;
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
      expect(stats.completed).toBe(0);
      const events = wireEvents(reader.text());
      const end = events.length;
      expect(events.map((event) => event.id)).toEqual(idRange(1, end));
      expect(events.at(-1)!.data).toBe('[DONE]');
      expect(chunksOf(events.slice(-2, -1), runId)).toEqual([
        { type: 'error', text: 'the run was stopped', done: true },
      ]);
      const again = await postJson(url, `/talk/runs/${runId}/stop`, {});
      expect(again.status).toBe(202);
      expect(JSON.parse(again.body)).toEqual({ flow_id: runId, state: 'stopped' });
      // A late reader replays the same end.
      const replay = await send(url, `/talk/runs/${runId}`, {
        headers: { 'last-event-id': String(end - 2) },
      });
      const idAndData = ({ id, data }: WireEvent) => ({ id, data });
      expect(wireEvents(replay.body).map(idAndData)).toEqual(events.slice(-2).map(idAndData));
      const unknown = await postJson(url, `/talk/runs/${'e'.repeat(32)}/stop`, {});
      expect(unknown.status).toBe(204);
    });

    it('detaches on disconnect and aborts the run after detach_seconds when nobody resumes it', async () => {
      const { url, llm } = await ctx.start(config({ ...MEMORY, detach_seconds: 0.2 }));
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      const runId = (await client.response).headers['x-flowllm-run-id'] as string;
      await client.waitForText((text) => wireEvents(text).length >= 1);
      const stats = llm().stats;
      const leftAt = performance.now();
      client.destroy();
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the detached run to be aborted');
      expect(stats.lastAbortAt! - leftAt).toBeGreaterThanOrEqual(150);
      expect(stats.completed).toBe(0);
      const log = await send(url, `/talk/runs/${runId}`);
      const events = wireEvents(log.body);
      expect(events.at(-1)!.data).toBe('[DONE]');
      const [lastChunk] = chunksOf(events.slice(-2, -1), runId);
      expect(lastChunk).toMatchObject({ type: 'error', done: true });
      expect(String(lastChunk!.text)).toMatch(/no reader resumed it/);
    });

    it('resumes the EventSource variant: ids <flow_id>:N, and a reconnect to the same URL goes on', async () => {
      const { url } = await ctx.start(config(MEMORY, 0));
      const first = await send(url, '/talk?query=hi');
      expect(first.status).toBe(200);
      const runId = first.headers['x-flowllm-run-id'] as string;
      expect(runId).toMatch(FLOW_ID);
      const events = wireEvents(first.body);
      const total = events.length;
      expect(events.map((event) => event.id)).toEqual(idRange(1, total, `${runId}:`));
      expect(first.body.endsWith(`\n\nid:${runId}:${total}\nevent:done\n${DONE}`)).toBe(true);
      const reconnect = await send(url, '/talk?query=hi', { headers: { 'last-event-id': `${runId}:4` } });
      expect(reconnect.status).toBe(200);
      expect(reconnect.body.startsWith(`retry:1000\nid:${runId}:5\n`)).toBe(true);
      expect(reconnect.body).toBe(`retry:1000\n${first.body.slice(first.body.indexOf(`id:${runId}:5\n`))}`);
      // A plain number names no run: the browser is told to stop.
      const plain = await send(url, '/talk?query=hi', { headers: { 'last-event-id': '4' } });
      expect(plain.status).toBe(204);
    });

    it('exposes x-flowllm-run-id to pages (CORS) and answers HEAD on the run route without a body', async () => {
      const { url } = await ctx.start(config(MEMORY, 0));
      const reply = await postJson(
        url,
        '/talk',
        { query: 'hi' },
        { headers: { origin: 'https://a.example' } },
      );
      expect(reply.headers['access-control-expose-headers']).toMatch(/x-flowllm-run-id/i);
      const runId = reply.headers['x-flowllm-run-id'] as string;
      const head = await send(url, `/talk/runs/${runId}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['x-flowllm-run-id']).toBe(runId);
    });

    it('with resume off: no id:, no retry:, no header, and the run routes are not ours', async () => {
      const { url, llm } = await ctx.start(config(undefined, 0));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      expect(reply.status).toBe(200);
      expect(reply.headers['x-flowllm-run-id']).toBeUndefined();
      expect(reply.body).not.toMatch(/^(id|retry|event):/m);
      expect(reply.body.startsWith('data:{')).toBe(true);
      const runId = JSON.parse(reply.body.slice(5, reply.body.indexOf('\n'))).flow_id as string;
      for (const [method, path] of [
        ['GET', `/talk/runs/${runId}`],
        ['POST', `/talk/runs/${runId}/stop`],
      ] as const) {
        const missing = await send(url, path, { method });
        expect(missing.status, path).toBe(HOST.notFound.status);
        expect(missing.body, path).toBe(HOST.notFound.body);
      }
      // An EventSource reconnect still gets 204 and starts nothing.
      const reconnect = await send(url, '/talk?query=hi', { headers: { 'last-event-id': `${runId}:2` } });
      expect(reconnect.status).toBe(204);
      await sleep(20);
      expect(llm().stats.started).toBe(1);
    });
  });
}
