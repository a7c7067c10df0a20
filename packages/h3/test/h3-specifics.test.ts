// h3 specifics: `app.mount('/api', flowllmH3(…))` beside the host's own routes under the same base,
// and what flowllmH3 accepts as its config.
import { conformanceOps, firstFlowId, flows, openStream, send, streamBody } from '@flowllm/conformance';
import { defineConfig } from '@flowllm/core';
import { H3, serve } from 'h3';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmH3 } from '../src/index.js';

const config = defineConfig({
  flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true } }),
  llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
});

const servers: ReturnType<typeof serve>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(true)));
});

async function listen(app: H3): Promise<string> {
  const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
  servers.push(server);
  await server.ready();
  return new URL(server.url!).origin;
}

describe("app.mount('/api', flowllmH3(…))", () => {
  it('serves a config object (env and ops in the options) under /api', async () => {
    const app = new H3().mount('/api', flowllmH3(config, { env: {}, ops: conformanceOps }));
    const base = await listen(app);
    const client = openStream(`${base}/api`, '/talk', { body: { query: 'hi' } });
    expect((await client.response).statusCode).toBe(200);
    await client.ended;
    expect(client.text()).toBe(
      streamBody(firstFlowId(client.text()), [
        ['answer', 'Hello'],
        ['answer', ' hi'],
      ]),
    );
  });

  it("the host's own routes under the same base keep working, before or after the mount", async () => {
    const app = new H3();
    app.get('/api/users', () => ({ users: [] }));
    app.mount('/api', flowllmH3(config, { env: {}, ops: conformanceOps }));
    app.post('/api/orders', () => ({ ordered: true }));
    const base = await listen(app);
    const users = await send(base, '/api/users');
    expect(users.status).toBe(200);
    expect(JSON.parse(users.body)).toEqual({ users: [] });
    const orders = await send(base, '/api/orders', { method: 'POST' });
    expect(orders.status).toBe(200);
    expect(JSON.parse(orders.body)).toEqual({ ordered: true });
    expect((await send(base, '/api/health')).body).toBe('{"status":"healthy"}');
  });
});

describe('the body on h3 (srvx on Node)', () => {
  it("is read from srvx's Node request, not through the web Request", async () => {
    const handler = flowllmH3(
      {
        llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
        flow: { chat: { flow_content: 'ChatOp()', input_schema: { query: { type: 'string' } } } },
      },
      { env: {} },
    );
    const bodyUsed: boolean[] = [];
    const app = new H3().mount('/api', {
      fetch: async (request: Request) => {
        const response = await handler.fetch(request);
        bodyUsed.push(request.bodyUsed);
        return response;
      },
    });
    const base = await listen(app);
    const body = JSON.stringify({ query: 'from node' });
    const headers = { 'content-type': 'application/json' };
    const reply = await send(base, '/api/chat', { method: 'POST', headers, body });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ answer: 'Hello from node', success: true });
    expect(bodyUsed).toEqual([false]);
    // Past the limit it is still refused while reading (a 413, the same words as everywhere).
    const big = JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) });
    const refused = await send(base, '/api/chat', { method: 'POST', headers, body: big, chunked: true });
    expect(refused.status).toBe(413);
  });
});
