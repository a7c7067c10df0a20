// FlowLLM's uvicorn settings on the built-in server: `http.timeout_keep_alive` (how long an idle
// keep-alive connection stays open) and `http.limit_concurrency` (503 beyond that many requests in flight).
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/serve.js';
import { testApp } from '../helpers/app.js';
import { closeServedAndSockets, rawRequest, serveOnFreePort } from '../helpers/raw-http.js';
import { events } from '../helpers/test-ops.js';
import { waitUntil } from '../helpers/wait.js';

afterEach(closeServedAndSockets);

function start(http: Record<string, unknown>): Promise<RunningServer> {
  const app = testApp({
    http: { shutdown_timeout: 0, ...http },
    // A sync flow that holds its request until the client leaves.
    flow: { hold: { flow_content: 'WaitForAbortOp()' } },
  });
  return serveOnFreePort(app);
}

const holdRequest =
  'POST /hold HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';

const waiting = () => events.filter((event) => event === 'waiting').length;
const aborted = () => events.filter((event) => event.startsWith('aborted:')).length;

describe('serve(): http.timeout_keep_alive', () => {
  it("keeps idle connections for FlowLLM's 3600 s by default", async () => {
    const server = await start({});
    expect(server.server.keepAliveTimeout).toBe(3_600_000);
  });

  it('closes an idle keep-alive connection once the configured seconds pass', async () => {
    const server = await start({ timeout_keep_alive: 0.3 });
    expect(server.server.keepAliveTimeout).toBe(300);
    const started = performance.now();
    const connection = rawRequest(server, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const received = await connection.closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: keep-alive\r\n/i);
    expect(received).toContain('{"status":"healthy"}');
    // Closed by the server (the client never ended it), and not before the keep-alive ran out.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('serve(): http.limit_concurrency', () => {
  it('answers 503 with Retry-After beyond the cap, and serves again once a request ends', async () => {
    const server = await start({ limit_concurrency: 2 });
    const first = rawRequest(server, holdRequest);
    rawRequest(server, holdRequest);
    await waitUntil(() => waiting() === 2);

    const refused = await fetch(`${server.url}/health`, { headers: { origin: 'https://app.example' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(await refused.json()).toEqual({
      detail: 'too many requests in flight (http.limit_concurrency is 2); retry in 5 s',
    });
    const refusedFlow = await fetch(`${server.url}/hold`, { method: 'POST', body: '{}' });
    expect(refusedFlow.status).toBe(503);
    expect(waiting()).toBe(2);

    first.socket.destroy();
    await waitUntil(() => aborted() === 1);
    const served = await fetch(`${server.url}/health`);
    expect(served.status).toBe(200);
  });

  it('counts nothing when 0', async () => {
    const server = await start({ limit_concurrency: 0 });
    for (let i = 0; i < 3; i++) rawRequest(server, holdRequest);
    await waitUntil(() => waiting() === 3);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
