// The peers, each used the way its docs show, on the same workload: read the JSON body, stream the
// model's tokens as SSE events carrying the same chunk object, end the stream. Each one stops the
// model on disconnect with whatever hook it offers (the AI SDK offers none to the writer).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import fastifySseModule from '@fastify/sse';
import { serve as honoServe } from '@hono/node-server';
import { createUIMessageStream, pipeUIMessageStreamToResponse } from 'ai';
import { createSession } from 'better-sse';
import express from 'express';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { EventStream, H3, serve as h3Serve } from 'h3';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import Koa from 'koa';
import { BenchModel, chunkObject, modelParams } from '../model.js';
import { BENCH_PATH } from '../targets.js';
import { nodeTarget, type RunningTarget, readJson } from './common.js';

// CommonJS: the default import is `module.exports`, the fastify-plugin-wrapped plugin (its named
// `fastifySSE` export is the unwrapped function, which would stay encapsulated in its own context).
const fastifySse = fastifySseModule as unknown as FastifyPluginAsync;

/** AI SDK: a UI message stream (text-start, text-delta per token, text-end) piped to the response. */
function aiSdk(body: unknown, response: ServerResponse): void {
  const params = modelParams(body);
  const stream = createUIMessageStream({
    execute: async ({ writer }) => {
      writer.write({ type: 'text-start', id: 't' });
      for await (const tok of new BenchModel(params))
        writer.write({ type: 'text-delta', id: 't', delta: tok });
      writer.write({ type: 'text-end', id: 't' });
    },
  });
  pipeUIMessageStreamToResponse({ response, stream });
}

/** better-sse: a session per request, one `push` per token (its defaults: event name and a uuid id). */
async function betterSse(body: unknown, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const model = new BenchModel(modelParams(body));
  const session = await createSession(request, response);
  session.once('disconnected', () => model.stop());
  for await (const tok of model) {
    if (!session.isConnected) break;
    session.push(chunkObject(tok));
  }
  if (session.isConnected) {
    session.push('[DONE]');
    response.end();
  }
}

export async function start(name: string): Promise<RunningTarget> {
  switch (name) {
    case 'ai-node':
      return nodeTarget(
        createServer((request, response) => {
          readJson(request)
            .then((body) => aiSdk(body, response))
            .catch(() => response.destroy());
        }).listen(0, '127.0.0.1'),
      );
    case 'ai-express': {
      const app = express();
      app.post(BENCH_PATH, express.json(), (request, response) => aiSdk(request.body, response));
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'better-sse-node':
      return nodeTarget(
        createServer((request, response) => {
          readJson(request)
            .then((body) => betterSse(body, request, response))
            .catch(() => response.destroy());
        }).listen(0, '127.0.0.1'),
      );
    case 'better-sse-express': {
      const app = express();
      app.post(BENCH_PATH, express.json(), (request, response, next) => {
        betterSse(request.body, request, response).catch(next);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'better-sse-koa': {
      const app = new Koa();
      app.use(async (ctx, next) => {
        if (ctx.method !== 'POST' || ctx.path !== BENCH_PATH) return next();
        const body = await readJson(ctx.req);
        // better-sse answers with res.statusCode, which koa leaves at 404 until a body is set.
        ctx.status = 200;
        ctx.respond = false;
        await betterSse(body, ctx.req, ctx.res);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'fastify-sse': {
      const fastify = Fastify({ logger: false });
      await fastify.register(fastifySse);
      fastify.post(BENCH_PATH, { sse: 'only' }, async (request, reply) => {
        const model = new BenchModel(modelParams(request.body));
        reply.sse.onClose(() => model.stop());
        await reply.sse.send(
          (async function* () {
            for await (const tok of model) yield { data: chunkObject(tok) };
          })(),
        );
        if (reply.sse.isConnected) await reply.sse.send({ data: '[DONE]' });
      });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { ...(await nodeTarget(fastify.server)), close: () => fastify.close() };
    }
    case 'h3-eventstream': {
      const app = new H3({ silent: true });
      app.post(BENCH_PATH, async (event) => {
        const model = new BenchModel(modelParams(await event.req.json()));
        const stream = new EventStream(event);
        stream.onClosed(() => model.stop());
        void (async () => {
          for await (const tok of model) await stream.push(JSON.stringify(chunkObject(tok)));
          await stream.push('[DONE]');
          await stream.close();
        })();
        return stream.send();
      });
      const server = h3Serve(app, { port: 0, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
      await server.ready();
      return { port: Number(new URL(server.url!).port), close: () => server.close(true) };
    }
    case 'hono-streamsse': {
      const app = new Hono();
      app.post(BENCH_PATH, async (c) => {
        const params = modelParams(await c.req.json());
        return streamSSE(c, async (stream) => {
          const model = new BenchModel(params);
          stream.onAbort(() => model.stop());
          for await (const tok of model) await stream.writeSSE({ data: JSON.stringify(chunkObject(tok)) });
          await stream.writeSSE({ data: '[DONE]' });
        });
      });
      const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      return nodeTarget(server as unknown as import('node:http').Server);
    }
    default:
      throw new Error(`no such peer target: ${name}`);
  }
}
