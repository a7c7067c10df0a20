import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { firstFlowId, openStream, postJson, send, streamBody } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { probe } from '../ops.js';
import { flows } from '../util.js';

const config = (cors: Record<string, unknown> = {}) => ({
  http: { cors },
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    chat: 'ChatOp()',
    count: { flow_content: 'ProbeStreamOp(count=2)', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: 'ok' } },
});

const corsNames = (headers: IncomingHttpHeaders) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

const preflight = (
  url: string,
  path: string,
  origin: string,
  method = 'POST',
  requestHeaders = 'content-type',
) =>
  send(url, path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': requestHeaders,
    },
  });

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';

const detail = (body: string) => (JSON.parse(body) as { detail: string }).detail;

/** Core's CORS: headers on every answer, preflights, and flows refused to disallowed origins. */
export function corsCases(ctx: SuiteContext): void {
  describe('CORS', () => {
    it('allows any origin by default with `*` and no credentials, `null` included', async () => {
      const { url } = await ctx.start(config());
      for (const origin of ['https://a.example', 'null']) {
        const reply = await send(url, '/health', { headers: { origin } });
        expect(reply.status).toBe(200);
        expect(reply.headers['access-control-allow-origin'], origin).toBe('*');
        expect(reply.headers['access-control-allow-credentials'], origin).toBeUndefined();
      }
      const noOrigin = await send(url, '/health');
      expect(corsNames(noOrigin.headers)).toEqual([]);
    });

    it('puts the CORS headers on streamed and sync flow responses, and on errors', async () => {
      const { url } = await ctx.start(config());
      const origin = { origin: 'https://a.example' };
      for (const [path, status] of [
        ['/talk', 200],
        ['/chat', 200],
      ] as const) {
        const reply = await postJson(url, path, { query: 'hi' }, { headers: origin });
        expect(reply.status).toBe(status);
        expect(reply.headers['access-control-allow-origin'], path).toBe('*');
        expect(reply.headers['access-control-allow-credentials'], path).toBeUndefined();
      }
      const invalid = await postJson(url, '/talk', '{bad', { headers: origin });
      expect(invalid.status).toBe(400);
      expect(invalid.headers['access-control-allow-origin']).toBe('*');
    });

    it('answers a preflight with 204, allowed methods and headers, and max-age', async () => {
      const { url, llm } = await ctx.start(config());
      const reply = await preflight(url, '/talk', 'https://a.example', 'POST', 'content-type, x-trace');
      expect(reply.status).toBe(204);
      expect(reply.body).toBe('');
      // RFC 9110 §8.6: no Content-Length on a 204.
      expect(reply.headers['content-length']).toBeUndefined();
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
      expect(reply.headers['access-control-allow-methods']).toContain('POST');
      expect(reply.headers['access-control-allow-headers']?.toLowerCase()).toContain('content-type');
      expect(reply.headers['access-control-allow-headers']?.toLowerCase()).toContain('x-trace');
      expect(reply.headers['access-control-max-age']).toBe('600');
      expect(llm().stats.started).toBe(0);
    });

    it('with allow_origins restricted, another origin gets no CORS headers and its preflight 400', async () => {
      const { url } = await ctx.start(config({ allow_origins: [GOOD] }));
      const health = await send(url, '/health', { headers: { origin: EVIL } });
      expect(health.status).toBe(200);
      expect(corsNames(health.headers)).toEqual([]);
      expect(health.headers.vary).toMatch(/origin/i);
      const denied = await preflight(url, '/talk', EVIL);
      expect(denied.status).toBe(400);
      expect(corsNames(denied.headers)).toEqual([]);

      const good = await preflight(url, '/talk', GOOD);
      expect(good.status).toBe(204);
      expect(good.headers['access-control-allow-origin']).toBe(GOOD);
      const goodStream = await postJson(url, '/talk', { query: 'hi' }, { headers: { origin: GOOD } });
      expect(goodStream.status).toBe(200);
      expect(goodStream.headers['access-control-allow-origin']).toBe(GOOD);
      expect(goodStream.headers.vary).toMatch(/origin/i);
      expect(goodStream.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('with allow_origins restricted, a flow never runs for another origin: 403 on POST and GET', async () => {
      const { url, llm } = await ctx.start(config({ allow_origins: [GOOD] }));
      const refusals = [
        postJson(url, '/talk', { query: 'hi' }, { headers: { origin: EVIL } }),
        postJson(url, '/chat', { query: 'hi' }, { headers: { origin: EVIL } }),
        postJson(url, '/count', {}, { headers: { origin: 'null' } }),
        // EventSource: a GET, which no preflight guards.
        send(url, '/count', { headers: { origin: EVIL, accept: 'text/event-stream' } }),
        send(url, '/talk?query=hi', { headers: { origin: 'null' } }),
      ];
      for (const reply of await Promise.all(refusals)) {
        expect(reply.status).toBe(403);
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        expect(detail(reply.body)).toMatch(/origin/);
        expect(corsNames(reply.headers)).toEqual([]);
      }
      expect(probe.produced, 'the counter op never ran').toBe(0);
      expect(llm().stats.started).toBe(0);
      // No Origin (curl, servers), the same origin (the docs page), and a listed origin run it.
      const curl = await send(url, '/count');
      const sameOrigin = await postJson(url, '/count', {}, { headers: { origin: new URL(url).origin } });
      const listed = await send(url, '/count', { headers: { origin: GOOD } });
      for (const reply of [curl, sameOrigin, listed]) expect(reply.status).toBe(200);
      expect(listed.headers['access-control-allow-origin']).toBe(GOOD);
      expect(probe.produced).toBe(6);
    });

    it('sends credentials only to the origins of an explicit list', async () => {
      const { url } = await ctx.start(config({ allow_origins: [GOOD], allow_credentials: true }));
      const reply = await postJson(url, '/chat', { query: 'hi' }, { headers: { origin: GOOD } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe(GOOD);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      const pre = await preflight(url, '/talk', GOOD);
      expect(pre.headers['access-control-allow-credentials']).toBe('true');
    });

    it('refuses a preflight for a method or header outside the allowed lists', async () => {
      const { url } = await ctx.start(config({ allow_methods: ['POST'], allow_headers: ['content-type'] }));
      expect((await preflight(url, '/talk', 'https://a.example', 'POST', 'content-type')).status).toBe(204);
      expect((await preflight(url, '/talk', 'https://a.example', 'PUT', 'content-type')).status).toBe(400);
      expect((await preflight(url, '/talk', 'https://a.example', 'POST', 'x-secret')).status).toBe(400);
    });

    if (ctx.target.capabilities?.frameworkCors) {
      it("with the framework's own CORS middleware in front, its headers reach streamed responses", async () => {
        const { url } = await ctx.start(
          { ...config(), http: { cors: { enabled: false } } },
          { cors: 'framework' },
        );
        const origin = 'https://a.example';
        const pre = await preflight(url, '/talk', origin);
        expect(pre.status, 'the preflight').toBeGreaterThanOrEqual(200);
        expect(pre.status, 'the preflight').toBeLessThan(300);
        expect(pre.headers['access-control-allow-origin']).toBe(origin);
        const client = openStream(url, '/talk', { body: { query: 'hi' }, headers: { origin } });
        const res = await client.response;
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(res.headers['access-control-allow-credentials']).toBe('true');
        await client.ended;
        expect(client.text()).toBe(streamBody(firstFlowId(client.text()), [['answer', 'ok']]));
        const sync = await postJson(url, '/chat', { query: 'hi' }, { headers: { origin } });
        expect(sync.status).toBe(200);
        expect(sync.headers['access-control-allow-origin']).toBe(origin);
      });
    }
  });
}
