import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as honoServe } from '@hono/node-server';
import { afterEach, beforeEach, describe } from 'vitest';
import { createFlowApp, type FlowApp } from '../../src/engine/flow-app.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { handleNodeRequest } from '../../src/http/node-handler.js';
import { FlowService, type FlowServiceOptions } from '../../src/http/service.js';
import type { ServiceLogger } from '../../src/http/service-types.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { destroyClients } from './client.js';
import { httpTestOps, probe } from './ops.js';

export type TransportName = 'node' | 'fetch';

export interface LogLine {
  level: 'error' | 'warn' | 'info';
  message: string;
  details?: Record<string, unknown>;
}

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export function recordingLogger(): ServiceLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    error: (message, details) => lines.push({ level: 'error', message, details }),
    warn: (message, details) => lines.push({ level: 'warn', message, details }),
    info: (message, details) => lines.push({ level: 'info', message, details }),
  };
}

/** Config layers for `createFlowApp`: an object, or a list of layers (YAML paths, objects). */
export type AppConfig = Record<string, unknown> | (string | Record<string, unknown>)[];

/** An app with the HTTP test ops registered, no environment (so the mock model is used). */
export function buildApp(config: AppConfig): FlowApp {
  return createFlowApp({ config, env: {}, ops: httpTestOps });
}

export interface Running {
  url: string;
  port: number;
  server: Server;
  service: FlowService;
  app: FlowApp;
  /** Lines the service logged (when no logger was passed in the service options). */
  logs: LogLine[];
  /** The mock model configured under `name`. */
  llm(name?: string): MockLlm;
  close(): Promise<void>;
}

export interface Target {
  transport: TransportName;
  start(config: AppConfig, serviceOptions?: FlowServiceOptions): Promise<Running>;
}

async function listen(server: Server): Promise<number> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  }
  return (server.address() as AddressInfo).port;
}

/** Starts `config` on one transport, on 127.0.0.1 and a free port. */
export async function startTransport(
  transport: TransportName,
  config: AppConfig,
  serviceOptions: FlowServiceOptions = {},
): Promise<Running> {
  const app = buildApp(config);
  const logger = recordingLogger();
  const service = new FlowService(app, { logger, ...serviceOptions });
  let server: Server;
  if (transport === 'node') {
    server = createServer((req, res) => {
      handleNodeRequest(service, req, res).catch((error: unknown) => {
        logger.error(`handleNodeRequest rejected: ${String(error)}`);
        res.destroy();
      });
    });
    server.listen(0, '127.0.0.1');
  } else {
    server = honoServe({
      fetch: (request: Request) =>
        handleFetchRequest(service, request).then(
          (response) => response ?? new Response('{"detail":"Not Found"}', { status: 404 }),
        ),
      port: 0,
      hostname: '127.0.0.1',
    }) as Server;
  }
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    service,
    app,
    logs: logger.lines,
    llm: (name = 'default') => app.resources.llm(name) as MockLlm,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `body` once per transport, in its own `describe`: the node:http path (`handleNodeRequest`) and
 * the fetch path (`handleFetchRequest` behind `@hono/node-server`). Servers and client sockets started
 * in a test are closed after it.
 */
export function describeTransports(
  name: string,
  body: (target: Target) => void,
  transports: TransportName[] = ['node', 'fetch'],
): void {
  for (const transport of transports) {
    describe(`${name} [${transport}]`, () => {
      const running: Running[] = [];
      beforeEach(() => probe.reset());
      afterEach(async () => {
        destroyClients();
        await Promise.all(running.splice(0).map((server) => server.close()));
      });
      body({
        transport,
        async start(config, serviceOptions) {
          const server = await startTransport(transport, config, serviceOptions);
          running.push(server);
          return server;
        },
      });
    });
  }
}

/** Polls `condition` every 5 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A flow config map from `name: flow_content` or full flow entries. */
export function flows(entries: Record<string, string | Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [
      name,
      typeof value === 'string' ? { flow_content: value } : value,
    ]),
  );
}
