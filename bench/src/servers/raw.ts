// The floor: plain node:http writing pre-built SSE frames, one write per token, with correct drain
// and disconnect handling — the least a correct streaming server can do. The same frames written
// from a plain handler on each framework are that framework's own baseline: what any SSE helper
// on it pays before doing anything (shown in the table, not used for the goals).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serve as honoServe } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { H3, serve as h3Serve } from 'h3';
import { Hono } from 'hono';
import Koa from 'koa';
import { BENCH_FLOW_ID, BenchModel, modelParams } from '../model.js';
import { BENCH_PATH } from '../targets.js';
import { nodeTarget, type RunningTarget, readJson, SSE_HEADERS } from './common.js';

const PREFIX = `data:{"flow_id":"${BENCH_FLOW_ID}","chunk_type":"answer","chunk":"`;
const SUFFIX = '","done":false,"metadata":{}}\n\n';
const DONE = 'data:[DONE]\n\n';

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Streams the model's tokens as pre-built frames straight to a Node response. */
async function writeFrames(body: unknown, response: ServerResponse): Promise<void> {
  const model = new BenchModel(modelParams(body));
  response.once('close', () => {
    if (!response.writableEnded) model.stop();
  });
  response.writeHead(200, SSE_HEADERS);
  response.flushHeaders();
  for await (const tok of model) {
    if (response.destroyed) break;
    if (!response.write(PREFIX + tok + SUFFIX)) await drained(response);
  }
  if (!response.destroyed) response.end(DONE);
}

/** The same frames as a pull-based web body, for the fetch-based frameworks (h3, Hono). */
function frameStream(body: unknown): ReadableStream<Uint8Array> {
  const model = new BenchModel(modelParams(body));
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await model.next();
      if (done) {
        controller.enqueue(encoder.encode(DONE));
        controller.close();
      } else controller.enqueue(encoder.encode(PREFIX + value + SUFFIX));
    },
    cancel: () => model.stop(),
  });
}

function rawListener(request: IncomingMessage, response: ServerResponse): void {
  readJson(request)
    .then((body) => writeFrames(body, response))
    .catch(() => response.destroy());
}

export async function start(name: string): Promise<RunningTarget> {
  switch (name) {
    case 'raw':
      return nodeTarget(createServer(rawListener).listen(0, '127.0.0.1'));
    case 'base-express': {
      const app = express();
      app.post(BENCH_PATH, express.json(), (request, response, next) => {
        writeFrames(request.body, response).catch(next);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'base-koa': {
      const app = new Koa();
      app.use(async (ctx, next) => {
        if (ctx.method !== 'POST' || ctx.path !== BENCH_PATH) return next();
        const body = await readJson(ctx.req);
        ctx.respond = false;
        await writeFrames(body, ctx.res);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'base-fastify': {
      const fastify = Fastify({ logger: false });
      fastify.post(BENCH_PATH, async (request, reply) => {
        reply.hijack();
        await writeFrames(request.body, reply.raw);
      });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { ...(await nodeTarget(fastify.server)), close: () => fastify.close() };
    }
    case 'base-h3': {
      const app = new H3({ silent: true });
      app.post(BENCH_PATH, async (event) => {
        const stream = frameStream(await event.req.json());
        return new Response(stream, { headers: SSE_HEADERS });
      });
      const server = h3Serve(app, { port: 0, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
      await server.ready();
      return { port: Number(new URL(server.url!).port), close: () => server.close(true) };
    }
    case 'base-hono': {
      const app = new Hono();
      app.post(
        BENCH_PATH,
        async (c) => new Response(frameStream(await c.req.json()), { headers: SSE_HEADERS }),
      );
      const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      return nodeTarget(server as unknown as import('node:http').Server);
    }
    default:
      throw new Error(`no such baseline target: ${name}`);
  }
}
