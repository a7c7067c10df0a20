import { describe, expect, it } from 'vitest';
import { firstFlowId, openStream, postJson, send, streamBody } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { HOST } from '../types.js';
import { flows, sleep } from '../util.js';

const config = {
  flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true } }),
  llm: { default: { backend: 'mock', think: 'Hmm', answer: 'Hello {input}!' } },
};

/** Mounted under a prefix: every route of ours is there, and only there. Run with a non-empty prefix. */
export function prefixCases(ctx: SuiteContext): void {
  describe(`mounted under ${ctx.prefix}`, () => {
    it(`${ctx.prefix}/health is ours; /health, /openapi.json and /docs are then not ours`, async () => {
      const { url, origin } = await ctx.start(config);
      const ours = await send(url, '/health');
      expect(ours.status).toBe(200);
      expect(ours.body).toBe('{"status":"healthy"}');
      for (const path of ['/health', '/openapi.json', '/docs']) {
        const reply = await send(origin, path);
        expect(reply.status, path).toBe(HOST.notFound.status);
        expect(reply.body, path).toBe(HOST.notFound.body);
      }
    });

    it(`streams ${ctx.prefix}/talk byte for byte; /talk without the prefix never starts the flow`, async () => {
      const { url, origin, llm } = await ctx.start(config);
      const outside = await postJson(origin, '/talk', { query: 'hi' });
      expect(outside.status).toBe(HOST.notFound.status);
      await sleep(20);
      expect(llm().stats.started).toBe(0);
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      const res = await client.response;
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      await client.ended;
      expect(client.text()).toBe(
        streamBody(firstFlowId(client.text()), [
          ['think', 'Hmm'],
          ['answer', 'Hello'],
          ['answer', ' hi'],
          ['answer', '!'],
        ]),
      );
    });

    it(`the docs page at ${ctx.prefix}/docs loads the openapi.json under the prefix`, async () => {
      const { url, origin } = await ctx.start(config);
      const docs = await send(url, '/docs');
      expect(docs.status).toBe(200);
      const href = /href="([^"]*openapi\.json)"/.exec(docs.body)?.[1];
      expect(href).toBeDefined();
      const resolved = new URL(href!, `${url}/docs`);
      expect(resolved.pathname).toBe(`${ctx.prefix}/openapi.json`);
      const document = await send(origin, resolved.pathname);
      expect(document.status).toBe(200);
      expect(Object.keys((JSON.parse(document.body) as { paths: object }).paths)).toContain('/talk');
    });
  });
}
