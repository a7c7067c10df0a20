// The floor (`raw-batched`): plain node:http writing pre-built SSE frames, a tick's frames coalesced
// into one write, with correct drain and disconnect handling — the best a competent engineer writes by
// hand. `raw` is the naive version (one write per token), kept as a second, labelled column. The batched
// frames written from a plain handler on each framework are that framework's own baseline: what any SSE
// helper on it pays before doing anything (shown in the tables, not used for the goals).
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

/** Above this many characters a tick's frames go out as one Buffer, not as one joined (cons-)string. */
const BUFFER_BATCH_CHARS = 16 * 1024;

/** Writes a tick's frames with one `write`: a joined string when small, one Buffer when big. */
export function writeBatch(response: ServerResponse, frames: string[], chars: number): boolean {
  if (frames.length === 1) return response.write(frames[0]);
  if (chars < BUFFER_BATCH_CHARS) return response.write(frames.join(''));
  // Big frames: encode each flat string into one Buffer, so Node never measures a giant cons-string.
  const lengths = frames.map((frame) => Buffer.byteLength(frame));
  const batch = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length, 0));
  let offset = 0;
  for (let i = 0; i < frames.length; i++) offset += batch.write(frames[i]!, offset, lengths[i]!, 'utf8');
  return response.write(batch);
}

/**
 * The floor: the same frames, but every frame the model hands over in one tick leaves in one write at
 * the end of that tick (`process.nextTick` runs after the tick's promise callbacks), and the model is
 * not read again while the socket is full.
 */
async function writeFramesBatched(body: unknown, response: ServerResponse): Promise<void> {
  const model = new BenchModel(modelParams(body));
  response.once('close', () => {
    if (!response.writableEnded) model.stop();
  });
  response.writeHead(200, SSE_HEADERS);
  response.flushHeaders();
  let frames: string[] = [];
  let chars = 0;
  let full: Promise<void> | undefined;
  const flush = () => {
    const batch = frames;
    const batchChars = chars;
    frames = [];
    chars = 0;
    if (batch.length === 0 || response.destroyed) return;
    if (!writeBatch(response, batch, batchChars)) full = drained(response);
  };
  for await (const tok of model) {
    if (full) {
      await full;
      full = undefined;
    }
    if (response.destroyed) break;
    const frame = PREFIX + tok + SUFFIX;
    if (frames.push(frame) === 1) process.nextTick(flush);
    chars += frame.length;
  }
  if (frames.length > 0) flush();
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

type FrameWriter = (body: unknown, response: ServerResponse) => Promise<void>;

function rawListener(write: FrameWriter) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    readJson(request)
      .then((body) => write(body, response))
      .catch(() => response.destroy());
  };
}

export async function start(name: string): Promise<RunningTarget> {
  switch (name) {
    case 'raw':
      return nodeTarget(createServer(rawListener(writeFrames)).listen(0, '127.0.0.1'));
    case 'raw-batched':
      return nodeTarget(createServer(rawListener(writeFramesBatched)).listen(0, '127.0.0.1'));
    case 'base-express': {
      const app = express();
      app.post(BENCH_PATH, express.json(), (request, response, next) => {
        writeFramesBatched(request.body, response).catch(next);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'base-koa': {
      const app = new Koa();
      app.use(async (ctx, next) => {
        if (ctx.method !== 'POST' || ctx.path !== BENCH_PATH) return next();
        const body = await readJson(ctx.req);
        ctx.respond = false;
        await writeFramesBatched(body, ctx.res);
      });
      return nodeTarget(app.listen(0, '127.0.0.1'));
    }
    case 'base-fastify': {
      const fastify = Fastify({ logger: false });
      fastify.post(BENCH_PATH, async (request, reply) => {
        reply.hijack();
        await writeFramesBatched(request.body, reply.raw);
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
