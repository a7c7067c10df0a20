// Resumable streams against a real flowllm server (createFlowService, `resume: {backend: memory}`) on
// port 0. A drop is the server destroying the response's socket after some events: a real network drop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlowApp, createFlowService, type ServiceLogger } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowClient, type FlowRun } from '../src/index.js';
import { answer, collect } from './helpers.js';

const silent: ServiceLogger = { error() {}, warn() {}, info() {} };
// Thirty words, 15 ms apart: long enough that three drops land before the end even on a busy machine.
const ANSWER = Array.from({ length: 30 }, (_, i) => `w${i + 1}`).join(' ');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/**
 * Destroys the socket once `events` SSE events were written to `response` (and flushed), and counts it
 * in `dropped` — unless that write already ends the stream (`[DONE]`): a busy machine may have let the
 * rest of the run pile up into one write, and then there is nothing left to drop.
 */
function dropAfter(response: ServerResponse, events: number, dropped: number[]): void {
  const write = response.write.bind(response) as (chunk: unknown, callback?: () => void) => boolean;
  let seen = 0;
  response.write = ((chunk: unknown) => {
    seen += String(chunk).split('data:').length - 1;
    if (seen < events) return write(chunk);
    response.write = write as ServerResponse['write'];
    if (String(chunk).includes('[DONE]')) return write(chunk);
    dropped.push(events);
    return write(chunk, () => response.socket?.destroy());
  }) as ServerResponse['write'];
}

async function startServer(tokenDelayMs = 15) {
  const app = createFlowApp({
    env: {},
    config: {
      resume: { backend: 'memory' },
      flow: {
        chat: { flow_content: 'StreamChatOp()', stream: true, description: 'Chat' },
        other: { flow_content: 'StreamChatOp()', stream: true },
      },
      llm: { default: { backend: 'mock', think: '', answer: ANSWER, token_delay_ms: tokenDelayMs } },
    },
  });
  const service = createFlowService(app, { logger: silent });
  await service.ready();
  /** One per stream response, in order: drop it after this many events (undefined: never). */
  const drops: (number | undefined)[] = [];
  /** The drops that really cut a response short. */
  const dropped: number[] = [];
  const requests: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}`);
    const streams =
      request.method === 'POST' ? !request.url?.endsWith('/stop') : request.url?.includes('/runs/');
    const dropAt = streams ? drops.shift() : undefined;
    if (dropAt !== undefined) dropAfter(response, dropAt, dropped);
    service.node(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        service.shutdown();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: new FlowClient(url),
    drops,
    dropped,
    requests,
    llm: () => app.resources.llm('default') as MockLlm,
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('resume against a real flowllm server (memory store)', () => {
  it('destroyed sockets: the client reconnects, each chunk arrives once, the model runs once, unaborted', async () => {
    const { client, drops, dropped, requests, llm } = await startServer();
    drops.push(3, 2, 4);
    let run: FlowRun | undefined;
    const chunks = await collect(
      client.streamFlow(
        'chat',
        { query: 'q' },
        { resume: { delayMs: 5 }, onRun: (reported) => (run = reported) },
      ),
    );
    expect(answer(chunks)).toBe(ANSWER);
    expect(chunks.every((chunk) => chunk.type === 'answer' && chunk.flow_id === run!.runId)).toBe(true);
    // Three reconnects, each from the last event read (3, then 2 and 4 events later, or further when
    // one write carried several events).
    expect(requests[0]).toBe('POST /chat');
    const resumedAfter = requests.slice(1).map((request) => {
      const [, runId, id] = /^GET \/chat\/runs\/([0-9a-f]{32})\?last_event_id=(\d+)$/.exec(request) ?? [];
      expect(runId).toBe(run!.runId);
      return Number(id);
    });
    // One reconnect per drop that cut a response short (the first always does: 3 of 31 events).
    expect(dropped[0]).toBe(3);
    expect(resumedAfter).toHaveLength(dropped.length);
    expect(resumedAfter[0]).toBeGreaterThanOrEqual(3);
    if (dropped.length > 1) expect(resumedAfter[1]).toBeGreaterThanOrEqual(resumedAfter[0]! + 2);
    if (dropped.length > 2) expect(resumedAfter[2]).toBeGreaterThanOrEqual(resumedAfter[1]! + 4);
    expect(llm().stats).toMatchObject({ started: 1, completed: 1, aborted: 0 });
  });

  it('without drops, resume: true reads the stream as before (one request)', async () => {
    const { client, requests } = await startServer(1);
    expect(answer(await collect(client.streamFlow('chat', { query: 'q' }, { resume: true })))).toBe(ANSWER);
    expect(requests).toEqual(['POST /chat']);
  });

  it('resumeFlow after the reader left; 204 (gone) for an unknown run, another flow, or past [DONE]', async () => {
    const { client, llm } = await startServer();
    let run: FlowRun | undefined;
    const stream = client.streamFlow(
      'chat',
      { query: 'q' },
      { resume: true, onRun: (reported) => (run = reported) },
    );
    await stream.next();
    await stream.next();
    await stream.return(undefined); // the reader leaves: with resume on the run only detaches
    const rest = await collect(client.resumeFlow('chat', run!.runId, run!.lastEventId));
    expect(run!.lastEventId).toBe('2');
    expect(answer(rest)).toBe(
      ANSWER.split(' ')
        .slice(2)
        .map((word) => ` ${word}`)
        .join(''),
    );
    expect(llm().stats).toMatchObject({ started: 1, completed: 1, aborted: 0 });
    const done = String(ANSWER.split(' ').length + 1);
    for (const [flow, id, last] of [
      ['chat', 'f'.repeat(32), undefined],
      ['other', run!.runId, undefined],
      ['chat', run!.runId, done],
    ] as const) {
      await expect(collect(client.resumeFlow(flow, id, last))).rejects.toMatchObject({
        code: 'gone',
        status: 204,
      });
    }
  });

  it('resumeFlow picks up a run started by an EventSource (ids `<flow_id>:<n>`)', async () => {
    const { client, requests, llm } = await startServer();
    const response = await fetch(`${client.baseUrl}/chat?query=q`, {
      headers: { accept: 'text/event-stream' },
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!/id:[0-9a-f]{32}:2\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const [, runId] = /id:([0-9a-f]{32}):1\n/.exec(text)!;
    const rest = await collect(client.resumeFlow('chat', runId!, `${runId}:2`));
    expect(answer(rest)).toBe(
      ANSWER.split(' ')
        .slice(2)
        .map((word) => ` ${word}`)
        .join(''),
    );
    expect(requests.at(-1)).toBe(`GET /chat/runs/${runId}?last_event_id=${runId}%3A2`);
    expect(llm().stats).toMatchObject({ started: 1, completed: 1, aborted: 0 });
  });

  it("the caller's abort rejects with its reason and does not stop the run (it detaches)", async () => {
    const { client, requests, llm } = await startServer();
    const controller = new AbortController();
    const reason = new Error('the user left');
    const error = await collect(
      client.streamFlow('chat', { query: 'q' }, { resume: true, signal: controller.signal }),
      () => controller.abort(reason),
    ).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    await waitFor(() => llm().stats.completed === 1, 'the detached run to finish');
    expect(llm().stats.aborted).toBe(0);
    expect(requests).toEqual(['POST /chat']);
  });

  it('stopFlow: 202 stopping, the reader ends with the stopped error chunk, the model is aborted', async () => {
    const { client, llm } = await startServer(40);
    let run: FlowRun | undefined;
    let stopped: Promise<unknown> | undefined;
    const chunks = await collect(
      client.streamFlow('chat', { query: 'q' }, { resume: true, onRun: (reported) => (run = reported) }),
      () => {
        stopped ??= client.stopFlow('chat', run!.runId);
      },
    );
    expect(await stopped).toBe('stopping');
    expect(chunks.at(-1)).toMatchObject({ type: 'error', content: 'the run was stopped', done: true });
    expect(answer(chunks.slice(0, -1)).length).toBeLessThan(ANSWER.length);
    await waitFor(() => llm().stats.aborted === 1, 'the model to be aborted');
    expect(await client.stopFlow('chat', run!.runId)).toBe('stopped');
    expect(await client.stopFlow('other', run!.runId)).toBeNull();
  });

  it('listFlows lists the flows only, not the run routes', async () => {
    const { client } = await startServer();
    expect((await client.listFlows()).map(({ name, stream }) => ({ name, stream }))).toEqual([
      { name: 'chat', stream: true },
      { name: 'other', stream: true },
    ]);
  });
});
