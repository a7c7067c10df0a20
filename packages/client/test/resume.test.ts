// Resumable streams against a real node:http server speaking the resume wire (test/resume-wire-server.ts):
// real sockets, destroyed mid-stream.
import { afterEach, describe, expect, it } from 'vitest';
import { type FlowChunk, FlowClient, FlowClientError, type FlowRun } from '../src/index.js';
import { answer, collect } from './helpers.js';
import { startWireServer, type WireServer, type WireServerOptions } from './resume-wire-server.js';

const WORDS = Array.from({ length: 12 }, (_, index) => `w${index} `);
const ANSWER = WORDS.join('');
const servers: WireServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<WireServerOptions> = {}) {
  const server = await startWireServer({ words: WORDS, intervalMs: 3, retryMs: 10, ...options });
  servers.push(server);
  return { server, client: new FlowClient(server.url) };
}

const paths = (server: WireServer) => server.requests.map(({ method, url }) => `${method} ${url}`);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('streamFlow with resume', () => {
  it('a socket destroyed mid-stream: reconnects with ?last_event_id= and yields each chunk once', async () => {
    const { server, client } = await start();
    server.drops.push(3);
    let run: FlowRun | undefined;
    const seenIds: (string | undefined)[] = [];
    const chunks = await collect(
      client.streamFlow(
        'chat',
        { query: 'q' },
        {
          resume: true,
          onRun: (reported) => {
            expect(run).toBeUndefined(); // once
            run = reported;
          },
        },
      ),
      () => seenIds.push(run?.lastEventId),
    );
    expect(answer(chunks)).toBe(ANSWER);
    expect(chunks).toHaveLength(WORDS.length);
    expect(run).toMatchObject({ flow: 'chat', runId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(new Set(chunks.map((chunk) => chunk.flow_id))).toEqual(new Set([run!.runId]));
    // Live: inside the loop, the id of the event whose chunk was just yielded.
    expect(seenIds).toEqual(WORDS.map((_, index) => String(index + 1)));
    expect(run!.lastEventId).toBe(String(WORDS.length + 1)); // [DONE]'s
    expect(paths(server)).toEqual(['POST /chat', `GET /chat/runs/${run!.runId}?last_event_id=3`]);
    // The query form: no Last-Event-ID header, nothing that would need a CORS preflight.
    const resume = server.requests[1]!.headers;
    expect(resume['last-event-id']).toBeUndefined();
    expect(resume['content-type']).toBeUndefined();
    expect(resume.accept).toBe('text/event-stream');
  });

  it('many drops, including one right after the first event and a clean end without [DONE]', async () => {
    const { server, client } = await start();
    server.drops.push(1, 2, undefined, 1);
    server.cuts.push(undefined, undefined, 2);
    const chunks = await collect(client.streamFlow('chat', {}, { resume: { delayMs: 1 } }));
    expect(answer(chunks)).toBe(ANSWER);
    expect(paths(server).slice(1)).toEqual([
      expect.stringMatching(/\?last_event_id=1$/),
      expect.stringMatching(/\?last_event_id=3$/),
      expect.stringMatching(/\?last_event_id=5$/),
      expect.stringMatching(/\?last_event_id=6$/),
    ]);
    expect(paths(server)).toHaveLength(5);
  });

  it('resume off (the default) keeps today: a drop throws truncated and nothing reconnects', async () => {
    const { server, client } = await start();
    server.drops.push(3);
    const chunks: FlowChunk[] = [];
    const error = await collect(client.streamFlow('chat'), (chunk) => chunks.push(chunk)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'truncated' });
    expect(chunks).toHaveLength(3);
    expect(paths(server)).toEqual(['POST /chat']);
  });

  it('a server that names no run (resume off there): resume: true cannot reconnect, and says truncated', async () => {
    const { server } = await start();
    server.drops.push(2);
    // Hide the header, as a server with resume off sends none.
    const client = new FlowClient({
      baseUrl: server.url,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const headers = new Headers(response.headers);
        headers.delete('x-flowllm-run-id');
        return new Response(response.body, { status: response.status, headers });
      },
    });
    let reported = false;
    await expect(
      collect(client.streamFlow('chat', {}, { resume: true, onRun: () => (reported = true) })),
    ).rejects.toMatchObject({ code: 'truncated' });
    expect(reported).toBe(false);
    expect(paths(server)).toEqual(['POST /chat']);
  });

  it('a run gone by the time of the reconnect (204): FlowClientError gone', async () => {
    const { server, client } = await start();
    server.drops.push(2);
    let runId = '';
    const chunks: FlowChunk[] = [];
    const error = await collect(
      client.streamFlow(
        'chat',
        {},
        {
          resume: { delayMs: 1 },
          onRun: (run) => {
            runId = run.runId;
          },
        },
      ),
      (chunk) => {
        chunks.push(chunk);
        if (chunks.length === 2) server.forget(runId);
      },
    ).catch((caught: unknown) => caught);
    expect(FlowClientError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'gone', status: 204 });
    expect((error as Error).message).toContain(`run ${runId} of flow 'chat' is gone`);
    expect(chunks).toHaveLength(2);
    expect(paths(server)).toHaveLength(2); // a 204 is final: no more tries
  });

  it('a resume that skips an event is an error, never a silent gap', async () => {
    const { server, client } = await start();
    server.drops.push(3);
    server.misbehave = 'skip-one';
    const chunks: FlowChunk[] = [];
    const error = await collect(client.streamFlow('chat', {}, { resume: { delayMs: 1 } }), (chunk) =>
      chunks.push(chunk),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect((error as Error).message).toContain('event id 5 after 3 (events lost)');
    expect(answer(chunks)).toBe(WORDS.slice(0, 3).join(''));
  });

  it('a resume that replays from the start: the chunks already yielded are skipped', async () => {
    const { server, client } = await start();
    server.drops.push(4, 7);
    server.misbehave = 'from-start';
    const chunks = await collect(client.streamFlow('chat', {}, { resume: { delayMs: 1 } }));
    expect(answer(chunks)).toBe(ANSWER);
    expect(paths(server)).toHaveLength(3);
  });

  it('bounded retries with backoff: a store that stays down (503) ends the stream with that error', async () => {
    const { server, client } = await start();
    server.drops.push(2);
    server.refuseResume = 503;
    const started = Date.now();
    const error = await collect(client.streamFlow('chat', {}, { resume: { retries: 3, delayMs: 20 } })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'http', status: 503, detail: 'store down' });
    expect(paths(server)).toHaveLength(1 + 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40 + 80); // 20 ms, doubling
  });

  it('a store back before the retries run out: the stream completes', async () => {
    const { server, client } = await start();
    server.drops.push(2);
    server.refuseResume = 503;
    const stream = collect(client.streamFlow('chat', {}, { resume: { retries: 50, delayMs: 2 } }));
    await waitFor(() => server.requests.length >= 4, 'three refused resumes');
    server.refuseResume = undefined;
    expect(answer(await stream)).toBe(ANSWER);
  });

  it('no answer at all on reconnect (server gone): network error after the retries', async () => {
    const { server, client } = await start();
    server.drops.push(2);
    const chunks: FlowChunk[] = [];
    const error = await collect(
      client.streamFlow('chat', {}, { resume: { retries: 2, delayMs: 1 } }),
      (chunk) => {
        chunks.push(chunk);
        if (chunks.length === 2) void server.close();
      },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'network' });
    expect(chunks).toHaveLength(2);
  });

  it("the caller's abort still aborts, mid-stream and during a backoff wait, and never stops the run", async () => {
    const { server, client } = await start({ intervalMs: 20 });
    const controller = new AbortController();
    const reason = new Error('the user left');
    const chunks: FlowChunk[] = [];
    const error = await collect(
      client.streamFlow('chat', {}, { resume: { delayMs: 1 }, signal: controller.signal }),
      (chunk) => {
        chunks.push(chunk);
        if (chunks.length === 2) controller.abort(reason);
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(chunks).toHaveLength(2);
    await waitFor(() => server.openStreams === 0, 'the connection to close');
    expect(paths(server)).toEqual(['POST /chat']); // no reconnect, no stop
    expect([...server.runs.values()][0]!.state).toBe('running');

    // Aborted while waiting to reconnect (a long backoff): rejects at once with the reason.
    server.drops.push(1);
    const waiting = new AbortController();
    const stream = client.streamFlow('chat', {}, { resume: { delayMs: 60_000 }, signal: waiting.signal });
    expect((await stream.next()).value).toMatchObject({ content: 'w0 ' });
    const next = stream.next();
    await waitFor(() => server.openStreams === 0, 'the drop');
    waiting.abort(reason);
    await expect(next).rejects.toBe(reason);
    expect(paths(server).filter((path) => path.startsWith('POST'))).toEqual(['POST /chat', 'POST /chat']);
  });
});

describe('resumeFlow', () => {
  it('replays every event after lastEventId, then live, until [DONE], with the query form', async () => {
    const { server, client } = await start({ intervalMs: 10 });
    let runId = '';
    const first = client.streamFlow('chat', {}, { resume: true, onRun: (run) => (runId = run.runId) });
    await first.next();
    await first.next();
    await first.return(undefined); // the page goes away after two chunks: the run goes on
    await waitFor(() => server.openStreams === 0, 'the first reader to leave');

    let reported: FlowRun | undefined;
    const rest = await collect(client.resumeFlow('chat', runId, '2', { onRun: (run) => (reported = run) }));
    expect(answer(rest)).toBe(WORDS.slice(2).join(''));
    expect(reported).toMatchObject({ flow: 'chat', runId, lastEventId: String(WORDS.length + 1) });
    expect(paths(server).at(-1)).toBe(`GET /chat/runs/${runId}?last_event_id=2`);

    // No lastEventId: from the start. A number works as well as a string.
    expect(answer(await collect(client.resumeFlow('chat', runId)))).toBe(ANSWER);
    expect(paths(server).at(-1)).toBe(`GET /chat/runs/${runId}`);
    expect(answer(await collect(client.resumeFlow('chat', runId, 11)))).toBe('w11 ');
  });

  it('reconnects after drops as streamFlow does', async () => {
    const { server, client } = await start();
    let runId = '';
    const first = client.streamFlow('chat', {}, { resume: true, onRun: (run) => (runId = run.runId) });
    await first.next();
    await first.return(undefined);
    server.drops.push(2, 3);
    const rest = await collect(client.resumeFlow('chat', runId, 1, { resume: { delayMs: 1 } }));
    expect(answer(rest)).toBe(WORDS.slice(1).join(''));
    expect(paths(server).slice(1)).toEqual([
      `GET /chat/runs/${runId}?last_event_id=1`,
      `GET /chat/runs/${runId}?last_event_id=3`,
      `GET /chat/runs/${runId}?last_event_id=6`,
    ]);
  });

  it('unknown run, another flow, a finished run read to its end: gone (204)', async () => {
    const { client } = await start();
    let runId = '';
    await collect(client.streamFlow('chat', {}, { resume: true, onRun: (run) => (runId = run.runId) }));
    for (const [flow, id, last] of [
      ['chat', 'f'.repeat(32), undefined],
      ['other', runId, undefined],
      ['chat', runId, String(WORDS.length + 1)],
    ] as const) {
      await expect(collect(client.resumeFlow(flow, id, last))).rejects.toMatchObject({
        code: 'gone',
        status: 204,
      });
    }
    // A finished run still replays its tail.
    expect(answer(await collect(client.resumeFlow('chat', runId, 10)))).toBe('w10 w11 ');
  });
});

describe('stopFlow', () => {
  it('202 stopping, and the reader gets the stopped error chunk then [DONE]; again 202 stopped; unknown null', async () => {
    const { server, client } = await start({ intervalMs: 20 });
    let runId = '';
    const chunks: FlowChunk[] = [];
    let state: unknown;
    await collect(
      client.streamFlow('chat', {}, { resume: true, onRun: (run) => (runId = run.runId) }),
      (chunk) => {
        chunks.push(chunk);
        if (chunks.length === 2) state = client.stopFlow('chat', runId);
      },
    );
    expect(await state).toBe('stopping');
    expect(chunks.at(-1)).toMatchObject({ type: 'error', content: 'the run was stopped', done: true });
    expect(chunks.length).toBeLessThan(WORDS.length);
    expect(await client.stopFlow('chat', runId)).toBe('stopped');
    expect(await client.stopFlow('other', runId)).toBeNull();
    expect(await client.stopFlow('chat', '0'.repeat(32))).toBeNull();
    const stop = server.requests.find((request) => request.url.endsWith('/stop'))!;
    expect(stop).toMatchObject({ method: 'POST', url: `/chat/runs/${runId}/stop` });
    expect(stop.headers['content-type']).toBeUndefined(); // no body: a simple request
  });
});
