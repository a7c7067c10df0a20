// How DashscopeSearchOp and TavilySearchOp fail: every fault of the service is an exposed 502 that
// names the service and never the API key; the flow's abort and a client's disconnect end the call.
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { logDetailOf } from '../../src/errors.js';
import { type RunningServer, serve } from '../../src/http/serve.js';
import { failureOf } from '../helpers/failures.js';
import {
  type FakeApi,
  type FakeReply,
  startFakeDashscope,
  startFakeTavily,
} from './helpers/search-api-fakes.js';

/** The apps' environment (`createFlowApp({ env })`): search ops read their keys from it, not process.env. */
const testEnv: Record<string, string> = {};

const SERVICES = [
  { op: 'DashscopeSearchOp', service: 'DashScope', variable: 'DASHSCOPE_API_KEY', start: startFakeDashscope },
  { op: 'TavilySearchOp', service: 'Tavily', variable: 'TAVILY_API_KEY', start: startFakeTavily },
];
const KEY = 'sk-right-0123456789abcdef';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const name of Object.keys(testEnv)) delete testEnv[name];
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  { op, variable, start }: (typeof SERVICES)[number],
  reply: FakeReply | undefined,
  kwargs = '',
  stream = false,
) {
  testEnv[variable] = KEY;
  const fake: FakeApi = await start(KEY, () => reply);
  cleanups.push(() => fake.close());
  const options = [`base_url="${fake.url}"`, kwargs].filter(Boolean).join(', ');
  const app = createFlowApp({
    env: testEnv,
    config: {
      http: { shutdown_timeout: 0 },
      flow: { search: { flow_content: `${op}(${options})`, stream } },
    },
  });
  return { app, fake };
}

describe.each(SERVICES)('$op faults', (service) => {
  it.each([
    [{ status: 429 }, 'rate limited the call (HTTP 429'],
    [{ status: 500 }, 'failed (HTTP 500'],
    [{ fault: 'invalid_json' }, 'answered with invalid JSON'],
    [{ fault: 'truncate' }, 'cut its answer off'],
  ] as [FakeReply, string][])('%o → an exposed 502: "%s"', async (reply, expected) => {
    const { app } = await setUp(service, reply);
    const error = await failureOf(app.run('search', { query: 'q' }));
    expect(error.message).toContain(`${service.service} ${expected}`);
    expect(error.expose).toBe(true);
    expect(error.status).toBe(502);
  });

  it('a wrong key → "refused the API key (HTTP 401", and the key the service echoed is in no message', async () => {
    const { app } = await setUp(service, undefined);
    const wrong = 'sk-wrong-fedcba9876543210';
    testEnv[service.variable] = wrong;
    const error = await failureOf(app.run('search', { query: 'q' }));
    expect(error.message).toContain(`${service.service} refused the API key (HTTP 401`);
    expect(error.status).toBe(502);
    const detail = logDetailOf(error) ?? '';
    // The service's own message is kept for the log, with the key taken out.
    expect(detail).toContain('[redacted]');
    for (const text of [error.message, detail]) expect(text).not.toContain('fedcba98');
  });

  it('without its API key → an exposed 500 naming the variable, and nothing is sent', async () => {
    const { app, fake } = await setUp(service, undefined);
    testEnv[service.variable] = '';
    const error = await failureOf(app.run('search', { query: 'q' }));
    expect(error.message).toContain(`${service.op} needs ${service.variable}`);
    expect(error.expose).toBe(true);
    expect(error.status).toBe(500);
    expect(fake.calls).toHaveLength(0);
  });

  it('an answer larger than max_response_bytes is refused', async () => {
    const { app } = await setUp(service, { fault: 'oversize' }, 'max_response_bytes=1024');
    const error = await failureOf(app.run('search', { query: 'q' }));
    expect(error.message).toContain(`${service.service} answered with more than 1024 bytes`);
  });

  it('a service that never answers fails after `timeout` seconds and its connection is closed', async () => {
    const { app, fake } = await setUp(service, { fault: 'hang' }, 'timeout=0.2');
    const error = await failureOf(app.run('search', { query: 'q' }));
    expect(error.message).toContain(`${service.service} did not answer within 0.2 s (timeout)`);
    await fake.calls[0]?.closed;
  });

  it("the flow's abort signal ends a hanging call", async () => {
    const { app, fake } = await setUp(service, { fault: 'hang' });
    const controller = new AbortController();
    const run = app.run('search', { query: 'q' }, { signal: controller.signal });
    const call = await fake.received(0);
    controller.abort();
    await expect(run).rejects.toThrow();
    await call.closed;
  });

  it("an HTTP client's disconnect ends a hanging call", async () => {
    const { app, fake } = await setUp(service, { fault: 'hang' }, '', true);
    const server: RunningServer = await serve(app, { port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close());
    const client = new AbortController();
    const request = fetch(`${server.url}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'q' }),
      signal: client.signal,
    }).then((response) => response.text());
    const call = await fake.received(0);
    client.abort();
    await expect(request).rejects.toThrow();
    await call.closed;
  });
});
