// koa specifics: @koa/bodyparser before the flows, koa-compress before the flows, no app 'error'
// events for client disconnects, and what flowllmKoa accepts as its config.
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import {
  bodyParserCases,
  closeServer,
  compressionCases,
  conformanceOps,
  firstFlowId,
  HANG_MS,
  letters,
  lettersConfig,
  listening,
  openStream,
  postJson,
  runConformanceSuite,
  send,
  sleep,
  useTarget,
  waitFor,
} from '@flowllm/conformance';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmKoa } from '../src/index.js';
import { koaTarget } from './target.js';

// The stream, disconnect and EventSource cases again, with @koa/bodyparser in front of the flows.
runConformanceSuite(koaTarget({ bodyParser: true }), {
  groups: ['streaming', 'event-source', 'disconnect', 'mcp'],
});

bodyParserCases(koaTarget({ bodyParser: true }), '@koa/bodyparser');

compressionCases(koaTarget({ compress: true }), 'koa-compress', (ctx) => {
  it("koa-compress still compresses the host's own answers", async () => {
    const { origin } = await ctx.start(lettersConfig());
    const reply = await send(origin, '/host/ping', { headers: { 'accept-encoding': 'gzip' } });
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
      const { url, llm, hostErrors, service } = await ctx.start(lettersConfig());
      const stream = openStream(url, '/ask', {
        body: { query: 'q' },
        headers: { 'accept-encoding': 'gzip' },
      });
      await stream.waitForText((text) => text.includes('data:{'));
      stream.destroy();
      await waitFor(() => llm().stats.aborted === 1, HANG_MS, 'the model call to be aborted');
      await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the stream to end');
      await sleep(100);
      expect(hostErrors).toEqual([]);
    });

    it(`a client leaving with unread data while the server waits for drain (${name})`, async () => {
      const { url, hostErrors, service } = await ctx.start(lettersConfig());
      const stalled = openStream(url, '/big', { body: { query: 'q' }, pauseOnFirstData: true });
      await stalled.waitForText((text) => text.includes('data:'));
      await sleep(100);
      stalled.destroy();
      await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the stream to end');
      await sleep(100);
      expect(hostErrors).toEqual([]);
    });

    it(`a client leaving before a sync answer (${name})`, async () => {
      const { url, llm, hostErrors } = await ctx.start(lettersConfig());
      const sync = openStream(url, '/ask_sync', { body: { query: 'q' } });
      await waitFor(() => llm().stats.started === 1, HANG_MS, 'the sync flow to start');
      sync.destroy();
      await waitFor(() => llm().stats.aborted === 1, HANG_MS, 'the model call to be aborted');
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
    app.use(flowllmKoa(lettersConfig(), { env: {}, ops: conformanceOps, prefix: '/api/' }));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    const base = await listening(server);
    const reply = await postJson(`${base}/api`, '/ask', { query: 'q' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(letters(firstFlowId(reply.body)));
    // Koa's own 404 for a path outside the prefix.
    expect((await send(base, '/ask')).status).toBe(404);
  });
});
