import { describe, expect, it } from 'vitest';
import { dataLines, FLOW_ID, firstFlowId, frame, openStream, postJson, send, streamBody } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { HOST } from '../types.js';
import { flows } from '../util.js';

const config = {
  flow: flows({
    chat: 'ChatOp()',
    talk: { flow_content: 'StreamChatOp()', stream: true },
    broken: { flow_content: 'StreamChatOp(llm="broken")', stream: true },
    fail: 'SecretFailOp()',
  }),
  llm: {
    default: { backend: 'mock', answer: 'Hello {input}' },
    broken: { backend: 'mock', answer: 'one two three', error: 'boom', error_after: 1 },
  },
};

/** The host app's own routes, middleware, error handler and 404 keep working beside ours. */
export function coexistenceCases(ctx: SuiteContext): void {
  describe('coexistence with the host app', () => {
    it("the host's own route answers, with its middleware's header", async () => {
      const { origin, hostErrors } = await ctx.start(config);
      const reply = await send(origin, HOST.ping.path);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual(JSON.parse(HOST.ping.body));
      expect(reply.headers[HOST.header]).toBe('1');
      expect(hostErrors).toEqual([]);
    });

    it("the host middleware's header reaches our answers too, streams included", async () => {
      const { url } = await ctx.start(config);
      const health = await send(url, '/health');
      expect(health.status).toBe(200);
      expect(health.headers[HOST.header]).toBe('1');
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      const res = await client.response;
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(res.headers[HOST.header]).toBe('1');
      await client.ended;
      const flowId = firstFlowId(client.text());
      expect(client.text()).toBe(
        streamBody(flowId, [
          ['answer', 'Hello'],
          ['answer', ' hi'],
        ]),
      );
    });

    it("a host route that throws reaches the host's error handler, not ours", async () => {
      const { origin, hostErrors, logs } = await ctx.start(config);
      const reply = await send(origin, HOST.boom.path);
      expect(reply.status).toBe(HOST.boom.status);
      expect(JSON.parse(reply.body)).toEqual(JSON.parse(HOST.boom.body));
      expect(hostErrors).toHaveLength(1);
      expect(logs).toEqual([]);
    });

    it("a path that is not one of ours gets the host's 404, not our JSON", async () => {
      const { url, origin, llm } = await ctx.start(config);
      const paths = [
        `${ctx.prefix}/nope`,
        `${ctx.prefix}/chat/extra`,
        `${ctx.prefix}/health/x`,
        `${ctx.prefix}/`,
        // Names of Object.prototype members are not routes either (lookups are by own name).
        `${ctx.prefix}/toString`,
        `${ctx.prefix}/constructor`,
        `${ctx.prefix}/__proto__`,
        `${ctx.prefix}/valueOf`,
        '/nope',
        '/host/missing',
      ];
      for (const path of paths) {
        const reply = await send(origin, path);
        expect(reply.status, path).toBe(HOST.notFound.status);
        expect(reply.body, path).toBe(HOST.notFound.body);
      }
      const post = await postJson(url, '/no_such_flow', { query: 'q' });
      expect(post.status).toBe(HOST.notFound.status);
      expect(post.body).toBe(HOST.notFound.body);
      expect(llm().stats.started).toBe(0);
    });

    it("a host route that reads a JSON body still gets it, parsed the host's way", async () => {
      const { origin } = await ctx.start(config);
      const reply = await postJson(origin, HOST.echo.path, { a: 1, b: ['x'] });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ echo: { a: 1, b: ['x'] } });
    });

    it("our failures are answered by us and never reach the host's error handler", async () => {
      const { url, hostErrors } = await ctx.start(config);
      const sync = await postJson(url, '/fail', { query: 'q' });
      expect(sync.status).toBe(500);
      const body = JSON.parse(sync.body) as { detail: string; flow_id: string };
      expect(Object.keys(body)).toEqual(['detail', 'flow_id']);
      expect(body.flow_id).toMatch(FLOW_ID);
      const invalid = await postJson(url, '/chat', '{bad');
      expect(invalid.status).toBe(400);
      expect(typeof (JSON.parse(invalid.body) as { detail: unknown }).detail).toBe('string');
      const broken = await postJson(url, '/broken', { query: 'q' });
      expect(broken.status).toBe(200);
      const flowId = firstFlowId(broken.body);
      const message = JSON.parse(dataLines(broken.body)[1]!).chunk as string;
      expect(broken.body).toBe(
        `${frame(flowId, 'answer', 'one')}${frame(flowId, 'error', message, { done: true })}data:[DONE]\n\n`,
      );
      expect(hostErrors).toEqual([]);
    });
  });
}
