import { describe, expect, it } from 'vitest';
import { postJson, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { HOST } from '../types.js';
import { flows, sleep } from '../util.js';

const config = {
  flow: flows({
    chat: 'ChatOp()',
    talk: { flow_content: 'StreamChatOp()', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
};

/** health, docs, 405 with Allow, the sync flow byte for byte, HEAD. */
export function routesCases(ctx: SuiteContext): void {
  describe('routes', () => {
    it('GET /health answers 200 {"status":"healthy"} byte for byte, HEAD the same headers and no body', async () => {
      const { url } = await ctx.start(config);
      const reply = await send(url, '/health');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.body).toBe('{"status":"healthy"}');
      const head = await send(url, '/health', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toMatch(/^application\/json/);
      expect(head.body).toBe('');
    });

    it('GET /docs answers an HTML page that loads openapi.json, title escaped', async () => {
      const { url } = await ctx.start({ ...config, app_name: 'Docs <Test>' });
      const reply = await send(url, '/docs');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      expect(reply.body).toMatch(/^<!doctype html>/i);
      expect(reply.body).toContain('openapi.json');
      expect(reply.body).toContain('Docs &#60;Test&#62;');
      expect(reply.body).not.toContain('Docs <Test>');
    });

    it('the /docs page loads its script and style from where its relative URLs point, under the mount', async () => {
      const { url, origin } = await ctx.start(config);
      const page = await send(url, '/docs');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      const wanted = { 'playground.js': /^text\/javascript/, 'playground.css': /^text\/css/ };
      for (const [file, contentType] of Object.entries(wanted)) {
        const href = new RegExp(`(?:src|href)="(docs/${file.replace('.', '\\.')}\\?v=\\w+)"`).exec(
          page.body,
        )?.[1];
        expect(href, file).toBeDefined();
        const resolved = new URL(href!, `${url}/docs`);
        const asset = await send(origin, resolved.pathname + resolved.search);
        expect(asset.status, file).toBe(200);
        expect(asset.headers['content-type'], file).toMatch(contentType);
        expect(asset.headers['cache-control'], file).toContain('immutable');
        expect(asset.body.length, file).toBeGreaterThan(1000);
      }
    });

    it('http.docs: false leaves /docs and its files to the host (its 404); openapi.json stays', async () => {
      const { url } = await ctx.start({ ...config, http: { docs: false } });
      for (const path of ['/docs', '/docs/playground.js', '/docs/playground.css']) {
        const reply = await send(url, path);
        expect(reply.status, path).toBe(HOST.notFound.status);
        expect(reply.body, path).toBe(HOST.notFound.body);
      }
      expect((await send(url, '/openapi.json')).status).toBe(200);
    });

    it('a method a route does not answer gets 405 with Allow', async () => {
      const { url } = await ctx.start(config);
      const del = await send(url, '/health', { method: 'DELETE' });
      expect(del.status).toBe(405);
      expect(del.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(JSON.parse(del.body)).toEqual({ detail: 'Method Not Allowed' });
      const put = await send(url, '/talk', {
        method: 'PUT',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(put.status).toBe(405);
      expect(put.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
      const postHealth = await postJson(url, '/health', {});
      expect(postHealth.status).toBe(405);
    });

    it('a sync flow answers GET with 405 and Allow: POST, OPTIONS', async () => {
      const { url, llm } = await ctx.start(config);
      const reply = await send(url, '/chat?query=hi');
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST, OPTIONS');
      expect(llm().stats.started).toBe(0);
    });

    it('a sync flow answers {answer, success, metadata} byte for byte', async () => {
      const { url } = await ctx.start(config);
      const reply = await postJson(url, '/chat', { query: 'hi' });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const expected = {
        answer: 'Hello hi',
        success: true,
        metadata: { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
      };
      expect(reply.body).toBe(JSON.stringify(expected));
      expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(reply.body)));
    });

    it('HEAD on a stream flow answers the SSE headers with an empty body and never starts the flow', async () => {
      const { url, llm } = await ctx.start(config);
      const reply = await send(url, '/talk?query=x', { method: 'HEAD' });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(reply.headers['cache-control']).toContain('no-transform');
      expect(reply.headers['x-accel-buffering']).toBe('no');
      // The same headers as GET, which has no length: not "Content-Length: 0".
      expect(reply.headers['content-length']).toBeUndefined();
      expect(reply.body).toBe('');
      await sleep(50);
      expect(llm().stats.started).toBe(0);
    });
  });
}
