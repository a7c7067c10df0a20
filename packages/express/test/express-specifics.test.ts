// express specifics: express.json() before the flows, compression() before the flows, and what
// flowllmExpress accepts as its config.
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
  waitFor,
} from '@flowllm/conformance';
import { createFlowApp } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmExpress } from '../src/index.js';
import { expressTarget } from './target.js';

// The stream, disconnect, EventSource and MCP cases again, with express.json() in front of the flows.
runConformanceSuite(expressTarget({ json: true }), {
  groups: ['streaming', 'event-source', 'disconnect', 'mcp'],
});

bodyParserCases(expressTarget({ json: true }), 'express.json()', (ctx) => {
  it('refuses a __proto__ key in the body express parsed with 400', async () => {
    const { url } = await ctx.start(lettersConfig());
    const reply = await postJson(
      url,
      '/ask_sync',
      '{"query": "q", "metadata": {"__proto__": {"polluted": 1}}}',
    );
    expect(reply.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

compressionCases(expressTarget({ compression: true }), 'compression()', (ctx) => {
  const gzip = { 'accept-encoding': 'gzip' };

  it('compression stays on for the other answers (openapi.json is gzipped and intact)', async () => {
    const { url } = await ctx.start(lettersConfig());
    const reply = await send(url, '/openapi.json', { headers: gzip });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    const document = JSON.parse(gunzipSync(reply.raw).toString('utf8')) as { paths: object };
    expect(Object.keys(document.paths)).toContain('/ask');
  });

  it('a client leaving a compressed-capable stream still aborts the model', async () => {
    const { url, llm, hostErrors } = await ctx.start(lettersConfig());
    const client = openStream(url, '/ask', { body: { query: 'q' }, headers: gzip });
    await client.waitForText((text) => text.includes('data:{'));
    const leftAt = performance.now();
    client.destroy();
    const stats = llm().stats;
    await waitFor(() => stats.aborted === 1, HANG_MS, 'the model to be aborted');
    expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(leftAt);
    expect(stats.completed).toBe(0);
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
    return listening(server);
  }

  it('a config object, with env and ops in the options', async () => {
    const app = express();
    app.use('/api', flowllmExpress(lettersConfig(), { env: {}, ops: conformanceOps }));
    const base = await listen(app);
    const reply = await postJson(`${base}/api`, '/ask', { query: 'q' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(letters(firstFlowId(reply.body)));
  });

  it('one FlowApp shared by two mounts: the same models serve both', async () => {
    const flowApp = createFlowApp({ config: lettersConfig(), env: {}, ops: conformanceOps });
    const app = express();
    app.use('/a', flowllmExpress(flowApp));
    app.use('/b', flowllmExpress(flowApp));
    const base = await listen(app);
    expect((await postJson(`${base}/a`, '/ask_sync', { query: 'q' })).status).toBe(200);
    expect((await postJson(`${base}/b`, '/ask_sync', { query: 'q' })).status).toBe(200);
    expect((flowApp.resources.llm('default') as MockLlm).stats.completed).toBe(2);
  });
});
