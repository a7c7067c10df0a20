import { expect, it } from 'vitest';
import { postJson, send } from './client.js';
import { describeTransports, flows, sleep } from './harness.js';

const config = {
  flow: flows({
    chat: 'ChatOp()',
    talk: { flow_content: 'StreamChatOp()', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
};

describeTransports('routes', (target) => {
  it('GET /health answers 200 {"status":"healthy"} byte for byte', async () => {
    const { url } = await target.start(config);
    const reply = await send(url, '/health');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toBe('{"status":"healthy"}');
  });

  it('HEAD /health answers 200 with an empty body', async () => {
    const { url } = await target.start(config);
    const reply = await send(url, '/health', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toBe('');
  });

  it('GET /docs answers an HTML page that loads openapi.json', async () => {
    const { url } = await target.start({ ...config, app_name: 'Docs <Test>' });
    const reply = await send(url, '/docs');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.body).toMatch(/^<!doctype html>/i);
    expect(reply.body).toContain('openapi.json');
    expect(reply.body).toContain('Docs &#60;Test&#62;');
    expect(reply.body).not.toContain('Docs <Test>');
  });

  it('an unknown path answers 404 {"detail":"Not Found"}', async () => {
    const { url } = await target.start(config);
    for (const path of ['/nope', '/chat/extra', '/']) {
      const reply = await send(url, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).toBe('{"detail":"Not Found"}');
    }
    const post = await postJson(url, '/nope', { query: 'hi' });
    expect(post.status).toBe(404);
    expect(post.body).toBe('{"detail":"Not Found"}');
  });

  it('a method a route does not answer gets 405 with Allow', async () => {
    const { url } = await target.start(config);
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

  it('a sync flow answers GET with 405 and Allow: POST', async () => {
    const { url, llm } = await target.start(config);
    const reply = await send(url, '/chat?query=hi');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST, OPTIONS');
    expect(llm().stats.started).toBe(0);
  });

  it('a sync flow answers {answer, success, metadata} byte for byte', async () => {
    const { url } = await target.start(config);
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
    const { url, llm } = await target.start(config);
    const reply = await send(url, '/talk?query=x', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(reply.headers['cache-control']).toContain('no-transform');
    expect(reply.headers['x-accel-buffering']).toBe('no');
    // The same headers as GET, which has no length: not "Content-Length: 0".
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.body).toBe('');
    await sleep(100);
    expect(llm().stats.started).toBe(0);
  });
});
