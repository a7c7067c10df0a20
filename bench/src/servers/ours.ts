// flowllm's targets: the Node path, the fetch path and every adapter, serving one flow whose op
// streams the bench model's tokens; and the Node path with resumable streams on (memory and Redis stores).
import { createServer, type Server } from 'node:http';
import { BaseOp, createFlowApp, createFlowService, type FlowService } from '@flowllm/core';
import { flowllmExpress } from '@flowllm/express';
import { flowllmFastify } from '@flowllm/fastify';
import { flowllmH3 } from '@flowllm/h3';
import { flowllmKoa } from '@flowllm/koa';
import { serve as honoServe } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { H3, serve as h3Serve } from 'h3';
import Koa from 'koa';
import { BenchModel, modelParams } from '../model.js';
import { REDIS_URL_ENV, targetByName } from '../targets.js';
import { nodeTarget, type RunningTarget } from './common.js';

/** Streams the model's tokens as answer chunks; the op's signal cancels the model. */
export class BenchStreamOp extends BaseOp {
  async execute(): Promise<void> {
    const params = modelParams({
      n: this.context.get('n'),
      iv: this.context.get('iv'),
      idle: this.context.get('idle'),
      id: this.context.get('id'),
      k: this.context.get('k'),
      size: this.context.get('size'),
      fixed: this.context.get('fixed'),
    });
    for await (const tok of new BenchModel(params, this.signal)) {
      await this.context.addStreamChunkAndType(tok);
    }
  }
}

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

/**
 * The bench flow's service; `resume` turns resumable streams on with that store, every other resume
 * setting at its default (what a user who writes `resume: { backend }` gets).
 */
export function benchService(resume?: 'memory' | 'redis'): FlowService {
  const redisUrl = process.env[REDIS_URL_ENV];
  if (resume === 'redis' && !redisUrl) throw new Error(`${REDIS_URL_ENV} is not set: run.ts starts Redis`);
  const app = createFlowApp({
    config: {
      // The memory run holds 5,000 idle streams: no cap (http.max_streams defaults to 1,000).
      http: { max_streams: 0 },
      flow: { bench: { flow_content: 'BenchStreamOp()', stream: true } },
      ...(resume
        ? { resume: { backend: resume, ...(resume === 'redis' ? { redis_url: redisUrl } : {}) } }
        : {}),
    },
    env: {},
    ops: [BenchStreamOp],
  });
  return createFlowService(app, { logger: quiet });
}

export async function start(name: string): Promise<RunningTarget> {
  const info = targetByName(name);
  const service = benchService(info.resume);
  // With resume on, the store must be up (Redis connected) before the first request.
  await service.ready();
  switch (name) {
    case 'ours-node':
    case 'ours-node-resume-memory':
    case 'ours-node-resume-redis':
      return nodeTarget(createServer(service.node).listen(0, '127.0.0.1'));
    case 'ours-fetch': {
      const server = honoServe({
        fetch: service.fetch,
        port: 0,
        hostname: '127.0.0.1',
      }) as Server;
      return nodeTarget(server);
    }
    case 'ours-express': {
      const app = express();
      app.use(flowllmExpress(service));
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'ours-koa': {
      const app = new Koa();
      app.use(flowllmKoa(service));
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'ours-fastify': {
      const fastify = Fastify({ logger: false });
      await fastify.register(flowllmFastify, { config: service });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { ...(await nodeTarget(fastify.server)), close: () => fastify.close() };
    }
    case 'ours-h3': {
      const app = new H3({ silent: true });
      app.mount('', flowllmH3(service));
      const server = h3Serve(app, { port: 0, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
      await server.ready();
      return { port: Number(new URL(server.url!).port), close: () => server.close(true) };
    }
    default:
      throw new Error(`no such flowllm target: ${name}`);
  }
}
