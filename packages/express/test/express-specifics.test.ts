// express specifics: express.json() before the flows, compression() before the flows, and what
// flowllmExpress accepts as its config.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  closeServer,
  conformanceOps,
  firstFlowId,
  flows,
  openStream,
  postJson,
  runConformanceSuite,
  send,
  streamBody,
  useTarget,
  waitFor,
} from '@flowllm/conformance';
import { createFlowApp, type MockLlm } from '@flowllm/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmExpress } from '../src/index.js';
import { expressTarget } from './target.js';

const inputSchema = {
  query: { type: 'string', description: 'the question', required: true },
  top_k: { type: 'integer', description: 'results', required: false },
};

const config = (http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({
    ask: { flow_content: 'StreamChatOp()', stream: true, input_schema: inputSchema },
    ask_sync: { flow_content: 'ChatOp()', input_schema: inputSchema },
  }),
  llm: { default: { backend: 'mock', answer: 'a b c d e f g h i j', token_delay_ms: 30 } },
});

const letters = (flowId: string) =>
  streamBody(
    flowId,
    'a b c d e f g h i j'
      .split(' ')
      .map((letter, i): [string, string] => ['answer', i === 0 ? letter : ` ${letter}`]),
  );

// The stream, disconnect and EventSource cases again, with express.json() in front of the flows.
runConformanceSuite(expressTarget({ json: true }), { groups: ['streaming', 'event-source', 'disconnect'] });

describe('express.json() registered before the flows', () => {
  const ctx = useTarget(expressTarget({ json: true }), '');

  it('validates the body express parsed: 422 in FastAPI shape, 200 when valid', async () => {
    const { url, llm } = await ctx.start(config());
    const missing = await postJson(url, '/ask_sync', { top_k: 3 });
    expect(missing.status).toBe(422);
    expect(missing.body).toBe(
      '{"detail":[{"loc":["body","query"],"msg":"Field required","type":"missing"}]}',
    );
    const notInt = await postJson(url, '/ask', { query: 'q', top_k: 'abc' });
    expect(notInt.status).toBe(422);
    expect(llm().stats.started).toBe(0);
    const ok = await postJson(url, '/ask_sync', { query: 'q' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).answer).toBe('a b c d e f g h i j');
  });

  it('refuses a __proto__ key in the body express parsed with 400', async () => {
    const { url } = await ctx.start(config());
    const reply = await postJson(
      url,
      '/ask_sync',
      '{"query": "q", "metadata": {"__proto__": {"polluted": 1}}}',
    );
    expect(reply.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body express.json() left alone (text/plain) still gets 415', async () => {
    const { url } = await ctx.start(config());
    const reply = await send(url, '/ask', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"hi"}',
    });
    expect(reply.status).toBe(415);
  });

  it('http.body_limit still applies: a Content-Length over it answers 413', async () => {
    const { url, llm } = await ctx.start(config({ body_limit: 100 }));
    const reply = await postJson(url, '/ask_sync', { query: 'x'.repeat(200) });
    expect(reply.status).toBe(413);
    expect(llm().stats.started).toBe(0);
  });
});

describe('compression() registered before the flows', () => {
  const ctx = useTarget(expressTarget({ compression: true }), '');
  const gzip = { 'accept-encoding': 'gzip' };

  it('a stream asking for gzip still arrives incrementally and uncompressed', async () => {
    const { url, llm } = await ctx.start(config());
    const client = openStream(url, '/ask', { body: { query: 'q' }, headers: gzip });
    const res = await client.response;
    expect(res.headers['content-encoding']).toBeUndefined();
    await client.waitForText((text) => text.includes('"chunk":"a"'));
    // The first chunk is here while the model still has 9 tokens to go.
    expect(llm().stats.completed).toBe(0);
    await client.ended;
    expect(client.text()).toBe(letters(firstFlowId(client.text())));
  });

  it('compression stays on for the other answers (openapi.json is gzipped and intact)', async () => {
    const { url } = await ctx.start(config());
    const reply = await send(url, '/openapi.json', { headers: gzip });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    const document = JSON.parse(gunzipSync(reply.raw).toString('utf8')) as { paths: object };
    expect(Object.keys(document.paths)).toContain('/ask');
  });

  it('a client leaving a compressed-capable stream still aborts the model', async () => {
    const { url, llm, hostErrors } = await ctx.start(config());
    const client = openStream(url, '/ask', { body: { query: 'q' }, headers: gzip });
    await client.waitForText((text) => text.includes('data:{'));
    const leftAt = performance.now();
    client.destroy();
    const stats = llm().stats;
    await waitFor(() => stats.aborted === 1, 2000, 'the model to be aborted');
    expect(stats.lastAbortAt! - leftAt).toBeLessThan(500);
    expect(hostErrors).toEqual([]);
  });
});

describe('what flowllmExpress accepts', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  async function listen(app: express.Express): Promise<string> {
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a config object, with env and ops in the options', async () => {
    const app = express();
    app.use('/api', flowllmExpress(config(), { env: {}, ops: conformanceOps }));
    const base = await listen(app);
    const reply = await postJson(`${base}/api`, '/ask', { query: 'q' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(letters(firstFlowId(reply.body)));
  });

  it('one FlowApp shared by two mounts: the same models serve both', async () => {
    const flowApp = createFlowApp({ config: config(), env: {}, ops: conformanceOps });
    const app = express();
    app.use('/a', flowllmExpress(flowApp));
    app.use('/b', flowllmExpress(flowApp));
    const base = await listen(app);
    expect((await postJson(`${base}/a`, '/ask_sync', { query: 'q' })).status).toBe(200);
    expect((await postJson(`${base}/b`, '/ask_sync', { query: 'q' })).status).toBe(200);
    expect((flowApp.resources.llm('default') as MockLlm).stats.completed).toBe(2);
  });
});
