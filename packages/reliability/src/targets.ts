import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFlowApp, createFlowService, type FlowService, type ServiceLogger } from '@flowllm/core';
import { flowllmExpress } from '@flowllm/express';
import { flowllmFastify } from '@flowllm/fastify';
import { flowllmH3 } from '@flowllm/h3';
import { flowllmKoa } from '@flowllm/koa';
import { getRequestListener } from '@hono/node-server';
import express, { type ErrorRequestHandler } from 'express';
import Fastify from 'fastify';
import { H3, serve as h3Serve } from 'h3';
import Koa from 'koa';
import { HOST } from './host.js';
import { reliabilityOps } from './ops.js';

export { HOST } from './host.js';

/** Every line a logger got, by level. */
export interface LogLine {
  level: string;
  message: string;
  details?: unknown;
}

/** A logger that keeps every line: "no log spam" means it stays empty. */
export function recordingLogger(): ServiceLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (message: string, details?: Record<string, unknown>): void => {
      lines.push({ level, message, details });
    };
  return { lines, error: at('error'), warn: at('warn'), info: at('info') };
}

export interface StartOptions {
  /** The app config (`createFlowApp({ config, env, ops })`). */
  config: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A host app of one framework serving the flows at its root, on 127.0.0.1, port 0. */
export interface RunningTarget {
  name: string;
  url: string;
  service: FlowService;
  /** The node:http server underneath (for its sockets). */
  server: Server;
  /** Server-side sockets still open. */
  readonly sockets: ReadonlySet<Socket>;
  /** What the service logged. */
  logs: LogLine[];
  /** Errors that reached the host's own error handling, and lines the framework itself logged. */
  hostErrors: unknown[];
  close(): Promise<void>;
}

export interface Target {
  name: string;
  /** Node's http2 compatibility API works with it (the node:http target). */
  http2?: boolean;
  start(options: StartOptions): Promise<RunningTarget>;
}

function buildService(options: StartOptions): { service: FlowService; logs: LogLine[] } {
  const logger = recordingLogger();
  const app = createFlowApp({ config: options.config, env: options.env ?? {}, ops: reliabilityOps });
  return { service: createFlowService(app, { logger }), logs: logger.lines };
}

/** Tracks a server's sockets and listens on a free port with a deep backlog (thousands connect at once). */
async function listen(server: Server): Promise<{ url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: HOST, backlog: 4096 }, () => resolve());
    });
  }
  return { url: `http://${HOST}:${(server.address() as AddressInfo).port}`, sockets };
}

/** Closes a server and every connection to it. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const notFound = (res: ServerResponse) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"host_not_found":true}');
};

const hostFailed = (res: ServerResponse) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end('{"host_error":true}');
};

/** A host app: its node:http server (not yet listening) and, when closing it takes more, how. */
interface Host {
  server: Server;
  close?: () => Promise<void>;
}

/** A target: its own host setup; the service, logs, port, sockets and closing are the same for all. */
function hostTarget(
  name: string,
  host: (service: FlowService, hostErrors: unknown[]) => Host | Promise<Host>,
  extra: Pick<Target, 'http2'> = {},
): Target {
  return {
    name,
    ...extra,
    async start(options) {
      const { service, logs } = buildService(options);
      const hostErrors: unknown[] = [];
      const { server, close } = await host(service, hostErrors);
      const { url, sockets } = await listen(server);
      const closeHost = close ?? (() => closeServer(server));
      return { name, url, service, server, sockets, logs, hostErrors, close: closeHost };
    },
  };
}

/** Plain `http.createServer` with `service.node` as middleware (`next` for other paths and failures). */
export const nodeHttpTarget = hostTarget(
  'node:http',
  (service, hostErrors) => ({
    server: createServer((req: IncomingMessage, res: ServerResponse) => {
      service.node(req, res, (error) => {
        if (error === undefined) return notFound(res);
        hostErrors.push(error);
        hostFailed(res);
      });
    }),
  }),
  { http2: true },
);

/** `service.handleFetch` behind @hono/node-server's request listener. */
export const fetchTarget = hostTarget('fetch', (service, hostErrors) => {
  const listener = getRequestListener(
    async (request: Request) => {
      try {
        return (
          (await service.handleFetch(request)) ?? new Response('{"host_not_found":true}', { status: 404 })
        );
      } catch (error) {
        hostErrors.push(error);
        return new Response('{"host_error":true}', { status: 500 });
      }
    },
    {
      errorHandler: (error) => {
        hostErrors.push(error);
      },
    },
  );
  return { server: createServer(listener) };
});

export const expressTarget = hostTarget('express', (service, hostErrors) => {
  const app = express();
  app.use(flowllmExpress(service));
  app.use((_req, res) => {
    res.status(404).json({ host_not_found: true });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    hostErrors.push(error);
    hostFailed(res);
  };
  app.use(onError);
  return { server: createServer(app) };
});

export const koaTarget = hostTarget('koa', (service, hostErrors) => {
  const app = new Koa();
  app.on('error', (error) => hostErrors.push(error));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      hostErrors.push(error);
      ctx.status = 500;
      ctx.body = { host_error: true };
    }
  });
  app.use(flowllmKoa(service));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { host_not_found: true };
  });
  return { server: createServer(app.callback()) };
});

export const fastifyTarget = hostTarget('fastify', async (service, hostErrors) => {
  // fastify's own log lines (warn and up: client errors, failed replies) count as host errors.
  const fastify = Fastify({
    logger: { level: 'warn', stream: { write: (line: string) => void hostErrors.push(line) } },
  });
  fastify.setErrorHandler((error, _request, reply) => {
    hostErrors.push(error);
    reply.code(500).send({ host_error: true });
  });
  fastify.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ host_not_found: true });
  });
  await fastify.register(flowllmFastify, { config: service });
  await fastify.ready();
  return {
    server: fastify.server,
    close: async () => {
      fastify.server.closeAllConnections();
      await fastify.close();
    },
  };
});

export const h3Target = hostTarget('h3', async (service, hostErrors) => {
  const app = new H3({
    silent: true,
    onError: (error) => {
      if (error.status === 404)
        return new Response('{"host_not_found":true}', {
          status: 404,
          headers: { 'content-type': 'application/json' },
        });
      hostErrors.push(error);
      return new Response('{"host_error":true}', { status: 500 });
    },
  });
  app.mount('', flowllmH3(service));
  const running = h3Serve(app, { port: 0, hostname: HOST, silent: true, gracefulShutdown: false });
  await running.ready();
  const server = running.node?.server as Server | undefined;
  if (!server) throw new Error('h3: srvx did not expose its node:http server');
  return { server, close: () => running.close(true) };
});

/** The six transports, in the order the report lists them. */
export const TARGETS: Target[] = [
  nodeHttpTarget,
  fetchTarget,
  expressTarget,
  koaTarget,
  fastifyTarget,
  h3Target,
];
