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
  openStream,
  postJson,
  send,
  streamBody,
} from '@flowllm/conformance';
import { createFlowApp, MASKED_ERROR } from '@flowllm/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmFastify } from '../src/index.js';

const config = {
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    secret: { flow_content: 'SecretFailOp(stream_first=True)', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
};

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
      frame(flowId, 'answer', 'partial') + frame(flowId, 'error', MASKED_ERROR, true) + DONE,
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
      config: config,
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
