// koa specifics: @koa/bodyparser before the flows, koa-compress before the flows, no app 'error'
// events for client disconnects, and what flowllmKoa accepts as its config.
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
  sleep,
  streamBody,
  useTarget,
  waitFor,
} from '@flowllm/conformance';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmKoa } from '../src/index.js';
import { koaTarget } from './target.js';

const inputSchema = {
  query: { type: 'string', description: 'the question', required: true },
  top_k: { type: 'integer', description: 'results', required: false },
};

const config = (http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({
    ask: { flow_content: 'StreamChatOp()', stream: true, input_schema: inputSchema },
    ask_sync: { flow_content: 'ChatOp()', input_schema: inputSchema },
    big: { flow_content: 'ProbeStreamOp(count=10000, size=2000)', stream: true },
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

// The stream, disconnect and EventSource cases again, with @koa/bodyparser in front of the flows.
runConformanceSuite(koaTarget({ bodyParser: true }), { groups: ['streaming', 'event-source', 'disconnect'] });

describe('@koa/bodyparser registered before the flows', () => {
  const ctx = useTarget(koaTarget({ bodyParser: true }), '');

  it('validates the body the parser read: 422 in FastAPI shape, 200 when valid', async () => {
    const { url, llm } = await ctx.start(config());
    const missing = await postJson(url, '/ask_sync', { top_k: 3 });
    expect(missing.status).toBe(422);
    expect(missing.body).toBe(
      '{"detail":[{"loc":["body","query"],"msg":"Field required","type":"missing"}]}',
    );
    expect(llm().stats.started).toBe(0);
    const ok = await postJson(url, '/ask_sync', { query: 'q' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).answer).toBe('a b c d e f g h i j');
  });

  it('a body the parser did not read (text/plain) still gets 415, like without a parser', async () => {
    const { url, llm } = await ctx.start(config());
    const reply = await send(url, '/ask', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"hi"}',
    });
    expect(reply.status).toBe(415);
    expect(llm().stats.started).toBe(0);
  });

  it('http.body_limit still applies: a Content-Length over it answers 413', async () => {
    const { url, llm } = await ctx.start(config({ body_limit: 100 }));
    const reply = await postJson(url, '/ask_sync', { query: 'x'.repeat(200) });
    expect(reply.status).toBe(413);
    expect(llm().stats.started).toBe(0);
  });
});

describe('koa-compress registered before the flows', () => {
  const ctx = useTarget(koaTarget({ compress: true }), '');
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

  it("koa-compress still compresses the host's own answers", async () => {
    const { origin } = await ctx.start(config());
    const reply = await send(origin, '/host/ping', { headers: gzip });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(reply.raw).toString('utf8'))).toEqual({ host: 'ok' });
  });
});

describe("client disconnects raise no app.on('error')", () => {
  for (const variant of [{}, { bodyParser: true }, { compress: true }]) {
    const ctx = useTarget(koaTarget(variant), '');
    const name = Object.keys(variant).join('+') || 'plain';

    it(`a client leaving mid-stream (${name})`, async () => {
      const { url, llm, hostErrors, service } = await ctx.start(config());
      const stream = openStream(url, '/ask', {
        body: { query: 'q' },
        headers: { 'accept-encoding': 'gzip' },
      });
      await stream.waitForText((text) => text.includes('data:{'));
      stream.destroy();
      await waitFor(() => llm().stats.aborted === 1, 2000, 'the model call to be aborted');
      await waitFor(() => service.openStreamCount === 0, 2000, 'the stream to end');
      await sleep(100);
      expect(hostErrors).toEqual([]);
    });

    it(`a client leaving with unread data while the server waits for drain (${name})`, async () => {
      const { url, hostErrors, service } = await ctx.start(config());
      const stalled = openStream(url, '/big', { body: { query: 'q' }, pauseOnFirstData: true });
      await stalled.waitForText((text) => text.includes('data:'));
      await sleep(100);
      stalled.destroy();
      await waitFor(() => service.openStreamCount === 0, 2000, 'the stream to end');
      await sleep(100);
      expect(hostErrors).toEqual([]);
    });

    it(`a client leaving before a sync answer (${name})`, async () => {
      const { url, llm, hostErrors } = await ctx.start(config());
      const sync = openStream(url, '/ask_sync', { body: { query: 'q' } });
      await waitFor(() => llm().stats.started === 1, 1000, 'the sync flow to start');
      sync.destroy();
      await waitFor(() => llm().stats.aborted === 1, 2000, 'the model call to be aborted');
      await sleep(100);
      expect(hostErrors).toEqual([]);
    });
  }
});

describe('what flowllmKoa accepts', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  it('a config object, with env, ops and prefix in the options', async () => {
    const app = new Koa();
    app.use(flowllmKoa(config(), { env: {}, ops: conformanceOps, prefix: '/api/' }));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reply = await postJson(`${base}/api`, '/ask', { query: 'q' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(letters(firstFlowId(reply.body)));
    // Koa's own 404 for a path outside the prefix.
    expect((await send(base, '/ask')).status).toBe(404);
  });
});
