import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../../src/http/serve.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { DONE, dataLines, destroyClients, firstFlowId, frame, openStream, postJson, send } from './client.js';
import { buildApp, describeTransports, flows, recordingLogger, waitFor } from './harness.js';

const slowAnswer = Array.from({ length: 200 }, (_, i) => `t${i}`).join(' ');

const config = (http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    big: { flow_content: 'ProbeStreamOp(count=10000, size=2000)', stream: true },
    starting: { flow_content: 'SleepOp(ms=300) >> StreamChatOp(llm="short")', stream: true },
  }),
  llm: {
    default: { backend: 'mock', answer: slowAnswer, token_delay_ms: 50 },
    // 3 s of tokens: enough to tell an ended stream from one left running.
    short: { backend: 'mock', answer: slowAnswer.split(' ').slice(0, 60).join(' '), token_delay_ms: 50 },
  },
});

/** Checks a stream cut by shutdown: chunks so far, then the shutdown error (done: true), then [DONE]. */
function expectShutdownEnding(body: string): void {
  const flowId = firstFlowId(body);
  const lines = dataLines(body);
  expect(lines.at(-1)).toBe('[DONE]');
  const error = JSON.parse(lines.at(-2)!) as { chunk_type: string; chunk: string; done: boolean };
  expect(error.chunk_type).toBe('error');
  expect(error.done).toBe(true);
  expect(error.chunk).toMatch(/shutting down/);
  expect(body.endsWith(frame(flowId, 'error', error.chunk, true) + DONE)).toBe(true);
}

describeTransports('service.shutdown()', (target) => {
  it('ends open streams with an error event and data:[DONE], then refuses requests with 503', async () => {
    const { url, service, llm } = await target.start(config());
    const client = openStream(url, '/talk', { body: { query: 'hi' } });
    await client.waitForText((text) => text.includes('data:{'));
    expect(service.openStreamCount).toBe(1);
    service.shutdown();
    await client.ended;
    expect(client.complete).toBe(true);
    expectShutdownEnding(client.text());
    await waitFor(() => llm().stats.active === 0, 1000, 'the model stream to stop');
    expect(llm().stats.aborted).toBe(1);
    const refused = await postJson(url, '/talk', { query: 'hi' });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ detail: 'the server is shutting down' });
  });
});

describeTransports('service.shutdown() while a stream is starting', (target) => {
  it('a stream still waiting for its first sign of life is ended too (503 or the final event)', async () => {
    const { url, service, llm } = await target.start(config({ status_wait: 10 }));
    const client = openStream(url, '/starting', { body: { query: 'hi' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.responseAt).toBeUndefined();
    const shutdownAt = performance.now();
    service.shutdown();
    await client.ended;
    const res = await client.response;
    // 3 s of tokens would follow if the stream were not ended.
    expect(performance.now() - shutdownAt).toBeLessThan(1500);
    if (res.statusCode === 200) expectShutdownEnding(client.text());
    else expect(res.statusCode).toBe(503);
    await waitFor(() => llm('short').stats.active === 0, 1000, 'the model stream to stop');
  });
});

describe('serve() graceful close [node]', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    destroyClients();
    for (const running of servers.splice(0)) {
      running.server.closeAllConnections();
      await new Promise<void>((resolve) => running.server.close(() => resolve()));
    }
  });

  async function start(http: Record<string, unknown> = {}) {
    const app = buildApp(config(http));
    const logger = recordingLogger();
    const running = await serve(app, { port: 0, host: '127.0.0.1', logger });
    servers.push(running);
    return { running, llm: app.resources.llm('default') as MockLlm, logs: logger.lines };
  }

  it('close() sends the open streams a final event, ends them, and resolves', async () => {
    const { running, llm, logs } = await start();
    const clients = [
      openStream(running.url, '/talk', { body: { query: 'a' } }),
      openStream(running.url, '/talk', { body: { query: 'b' } }),
    ];
    await Promise.all(clients.map((client) => client.waitForText((text) => text.includes('data:{'))));
    const closing = running.close();
    for (const client of clients) {
      await client.ended;
      expect(client.complete).toBe(true);
      expectShutdownEnding(client.text());
    }
    const started = performance.now();
    await closing;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(running.server.listening).toBe(false);
    await waitFor(() => llm.stats.active === 0, 1000, 'the model streams to stop');
    expect(llm.stats.aborted).toBe(2);
    expect(logs.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('close() does not wait for keep-alive connections whose streams ended', async () => {
    const { running } = await start();
    // Node's fetch keeps its connection alive after the response.
    const response = await fetch(`${running.url}/talk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'a' }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    const started = performance.now();
    const closing = running.close();
    let body = '';
    for (let part = await reader.read(); !part.done; part = await reader.read())
      body += new TextDecoder().decode(part.value);
    expect(body.endsWith(DONE)).toBe(true);
    await closing;
    // Well under Node's 5 s keep-alive timeout.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('refuses new requests once closing (503 or connection refused)', async () => {
    const { running } = await start();
    const client = openStream(running.url, '/talk', { body: { query: 'a' } });
    await client.waitForText((text) => text.includes('data:{'));
    const closing = running.close();
    const outcome = await send(running.url, '/health').then(
      (reply) => String(reply.status),
      (error: NodeJS.ErrnoException) => error.code ?? String(error),
    );
    expect(['503', 'ECONNREFUSED']).toContain(outcome);
    await closing;
  });

  it('a client that stopped reading cannot hold close() past shutdown_timeout', async () => {
    const { running } = await start({ shutdown_timeout: 0.3 });
    const client = openStream(running.url, '/big', { body: { query: 'a' }, pauseOnFirstData: true });
    await client.waitForText((text) => text.includes('data:'));
    const started = performance.now();
    await running.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    // The connection was cut: reading what was buffered ends without a complete response.
    (await client.response).resume();
    await client.ended;
    expect(client.complete).toBe(false);
    expect(client.text().endsWith(DONE)).toBe(false);
  });
});
