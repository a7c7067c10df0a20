import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmFastify } from '../src/index.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('fastify hooks around flowllm answers', () => {
  it('plain answers go through onSend hooks; streams keep onRequest headers', async () => {
    const app = Fastify();
    apps.push(app);
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('x-on-request', '1');
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-on-send', '1');
      return payload;
    });
    await app.register(flowllmFastify, {
      config: {
        llm: { default: { backend: 'mock', answer: 'hi' } },
        flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
      },
      env: {},
      prefix: '/api',
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const health = await fetch(`${url}/api/health`);
    expect(await health.text()).toBe('{"status":"healthy"}');
    expect(health.headers.get('x-on-send')).toBe('1');
    expect(health.headers.get('x-on-request')).toBe('1');
    const invalid = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-on-send')).toBe('1');
    const stream = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"q"}',
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('x-on-request')).toBe('1');
    expect(await stream.text()).toMatch(/data:\[DONE\]\n\n$/);
  });
});
