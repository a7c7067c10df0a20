// The wire with resume off (FlowLLM's, byte for byte) and on (ids, retry:, the run-id header), on the
// Node path and the fetch path.
import { afterEach, describe, expect, it } from 'vitest';
import { answerOf, parseEvents, postStream, type ResumeServer, startResumeServer } from './resume-server.js';

const ANSWER = 'one two three four five six';
let server: ResumeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(['node', 'fetch'] as const)('the wire (%s path)', (via) => {
  it('with resume off: no ids, no retry:, no run-id header; run routes are not ours; Last-Event-ID gets 204', async () => {
    server = await startResumeServer({ via });
    const stream = await postStream(server.url, 'chat');
    const text = await stream.ended;
    expect(stream.headers['x-flowllm-run-id']).toBeUndefined();
    expect(text).not.toMatch(/^(id|retry):/m);
    const flowId = (JSON.parse(parseEvents(text)[0]?.data as string) as { flow_id: string }).flow_id;
    // Exactly FlowLLM's framing: data lines only, then data:[DONE].
    const expected = ['one', ' two', ' three', ' four', ' five', ' six']
      .map(
        (word) =>
          `data:{"flow_id":"${flowId}","chunk_type":"answer","chunk":${JSON.stringify(word)},"done":false,"metadata":{}}\n\n`,
      )
      .join('');
    expect(text).toBe(`${expected}data:[DONE]\n\n`);
    expect((await fetch(`${server.url}/chat/runs/${flowId}`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/runs/${flowId}/stop`, { method: 'POST' })).status).toBe(404);
    const reconnect = await fetch(`${server.url}/chat?query=hi`, { headers: { 'last-event-id': '3' } });
    expect(reconnect.status).toBe(204);
    const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: object };
    // No run routes (the UI message stream routes of each stream flow are there, resume or not).
    const runPaths = Object.keys(openapi.paths).filter((path) => path.includes('/runs/'));
    expect(runPaths).toEqual([]);
    expect(Object.keys(openapi.paths)).toContain('/chat');
  });

  it('with resume on: the run-id header, retry: on the first event, an id on every event and on [DONE]', async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory', retry_ms: 2500 } });
    const stream = await postStream(server.url, 'chat', 'hi', { origin: 'https://app.example' });
    const text = await stream.ended;
    const runId = stream.headers['x-flowllm-run-id'];
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(stream.headers['access-control-expose-headers']).toContain('x-flowllm-run-id');
    const events = parseEvents(text);
    expect(events[0]?.retry).toBe('2500');
    expect(events.slice(1).every((event) => event.retry === undefined)).toBe(true);
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(answerOf(events)).toBe(ANSWER);
    expect(text.startsWith('retry:2500\nid:1\ndata:{')).toBe(true);
    // The OpenAPI document lists the run routes, marked so flow listings skip them.
    const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(openapi.paths['/chat/runs/{flow_id}']?.get?.['x-flowllm-route']).toBe('run');
    expect(openapi.paths['/chat/runs/{flow_id}/stop']?.post?.['x-flowllm-route']).toBe('run-stop');
  });

  it('the GET (EventSource) variant numbers events <flow_id>:<n> and ends with event:done', async () => {
    server = await startResumeServer({ via, resume: { backend: 'memory' } });
    const response = await fetch(`${server.url}/chat?query=hi`);
    const runId = response.headers.get('x-flowllm-run-id') as string;
    const events = parseEvents(await response.text());
    expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `${runId}:${n}`));
    expect(events.at(-1)).toMatchObject({ event: 'done', data: '[DONE]' });
  });
});
