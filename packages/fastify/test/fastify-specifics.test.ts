// fastify specifics: failures go to fastify's own logger, hooks' headers (and @fastify/cors's) reach
// streamed responses under a prefix, and what the plugin accepts as its config.
import type { AddressInfo } from 'node:net';
import fastifyCors from '@fastify/cors';
import {
  conformanceOps,
  DONE,
  destroyClients,
  FLOW_ID,
  firstFlowId,
  flows,
  frame,
  MASKED_ERROR,
  openStream,
  postJson,
  send,
  streamBody,
} from '@flowllm/conformance';
import { createFlowApp, defineConfig, type FlowllmConfigInput } from '@flowllm/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmFastify } from '../src/index.js';

const config = defineConfig({
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    secret: { flow_content: 'SecretFailOp(stream_first=True)', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
});

const instances: FastifyInstance[] = [];
afterEach(async () => {
  destroyClients();
  for (const fastify of instances.splice(0)) {
    fastify.server.closeAllConnections();
    await fastify.close();
  }
});

async function listen(fastify: FastifyInstance): Promise<string> {
  instances.push(fastify);
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
}

describe("fastify's logger", () => {
  it('gets the real message of a masked failure, with its flow_id, when no logger is passed', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
    const fastify = Fastify({ logger: { level: 'info', stream } });
    await fastify.register(flowllmFastify, {
      config: createFlowApp({ config, env: {}, ops: conformanceOps }),
    });
    const base = await listen(fastify);
    const reply = await postJson(base, '/secret', { query: 'hi' });
    expect(reply.status).toBe(200);
    const flowId = firstFlowId(reply.body);
    expect(reply.body).toBe(
      frame(flowId, 'answer', 'partial') + frame(flowId, 'error', MASKED_ERROR, { done: true }) + DONE,
    );
    expect(reply.body).not.toContain('secret internals');
    const logged = lines.filter((line) => String(line.msg).includes('secret internals'));
    expect(logged).toHaveLength(1);
    // pino's level 50 is "error".
    expect(logged[0]!.level).toBe(50);
    expect(logged[0]!.flow_id).toBe(flowId);
    expect(flowId).toMatch(FLOW_ID);
  });
});

describe('hooks and @fastify/cors under a prefix', () => {
  it('headers from onRequest and preHandler hooks and from @fastify/cors reach a streamed response', async () => {
    const fastify = Fastify({ logger: false });
    fastify.addHook('onRequest', async (_request, reply) => {
      reply.header('x-on-request', '1');
    });
    fastify.addHook('preHandler', async (_request, reply) => {
      reply.header('x-pre-handler', '1');
    });
    await fastify.register(fastifyCors, {
      origin: true,
      credentials: true,
      exposedHeaders: ['x-pre-handler'],
    });
    await fastify.register(flowllmFastify, {
      // @fastify/cors answers CORS here: core's own is off (both would send conflicting headers).
      config: { ...config, http: { cors: { enabled: false } } },
      env: {},
      ops: conformanceOps,
      logger: { error: () => {}, warn: () => {}, info: () => {} },
      prefix: '/v1/flows',
    });
    const base = await listen(fastify);
    const origin = 'https://a.example';
    const client = openStream(`${base}/v1/flows`, '/talk', { body: { query: 'hi' }, headers: { origin } });
    const res = await client.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['x-on-request']).toBe('1');
    expect(res.headers['x-pre-handler']).toBe('1');
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('x-pre-handler');
    await client.ended;
    expect(client.text()).toBe(
      streamBody(firstFlowId(client.text()), [
        ['answer', 'Hello'],
        ['answer', ' hi'],
      ]),
    );
    // Outside the prefix: fastify's own 404.
    const outside = await postJson(base, '/talk', { query: 'hi' });
    expect(outside.status).toBe(404);
    expect(JSON.parse(outside.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await send(base, '/v1/flows/health')).body).toBe('{"status":"healthy"}');
  });
});

describe("fastify's bodyLimit", () => {
  const limited = (http: FlowllmConfigInput['http']) =>
    defineConfig({
      http,
      flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true }, chat: 'ChatOp()' }),
      llm: { default: { backend: 'mock', answer: 'ok' } },
    });
  const headers = { 'content-type': 'application/json' };
  const body = (size: number) => JSON.stringify({ query: 'x'.repeat(size - 12) });

  async function serve(fastify: FastifyInstance, bodyLimit: number): Promise<string> {
    await fastify.register(flowllmFastify, {
      config: limited({ body_limit: bodyLimit }),
      env: {},
      ops: conformanceOps,
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    return listen(fastify);
  }

  /** 413 naming `limit` for a body just over it (sized and chunked), 200 for one just under it. */
  async function expectLimit(base: string, limit: number): Promise<void> {
    for (const chunked of [false, true]) {
      for (const path of ['/talk', '/chat']) {
        const over = await send(base, path, { method: 'POST', headers, body: body(limit + 1), chunked });
        expect(over.status, `${path} chunked: ${chunked}`).toBe(413);
        expect(over.body).toContain(`limit of ${limit} bytes`);
        const under = await send(base, path, { method: 'POST', headers, body: body(limit), chunked });
        expect(under.status, `${path} chunked: ${chunked}`).toBe(200);
      }
    }
  }

  it("holds flow routes to fastify's bodyLimit when it is smaller than http.body_limit", async () => {
    const base = await serve(Fastify({ logger: false, bodyLimit: 300 }), 3000);
    await expectLimit(base, 300);
  });

  it('holds them to http.body_limit when that is the smaller one', async () => {
    const base = await serve(Fastify({ logger: false, bodyLimit: 3000 }), 300);
    await expectLimit(base, 300);
  });

  it('takes a route bodyLimit set by an onRoute hook', async () => {
    const fastify = Fastify({ logger: false });
    fastify.addHook('onRoute', (route) => {
      route.bodyLimit = 200;
    });
    await expectLimit(await serve(fastify, 3000), 200);
  });
});
