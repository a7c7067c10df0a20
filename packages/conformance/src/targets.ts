import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlowApp, createFlowService, type FlowService } from '@flowllm/core';
import { serve as honoServe } from '@hono/node-server';
import { type ConformanceTarget, HOST, type StartOptions } from './types.js';
import { belowPrefix } from './util.js';

/**
 * The app and service a target serves: `createFlowApp({ env: {}, ops, config })`, the suite's logger,
 * and the MCP endpoint when the case asks for it.
 */
export function buildService(options: StartOptions): FlowService {
  const app = createFlowApp({ config: options.config, env: {}, ops: options.ops });
  return createFlowService(app, { logger: options.logger, mcp: options.mcp });
}

/** The origin of a listening server, once it listens. */
export async function listening(server: Server): Promise<string> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  }
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a node:http server and every connection to it (open streams included). */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A host's server once it listens: its origin (no prefix) and how to close it with every connection. */
export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/** A node:http server (listening, or asked to) as a `HostServer`. */
export async function nodeServer(server: Server): Promise<HostServer> {
  return { url: await listening(server), close: () => closeServer(server) };
}

/** A target as its host serves: everything of `ConformanceTarget` but `start`, and `serve`. */
export interface TargetHost extends Omit<ConformanceTarget, 'start'> {
  /**
   * Builds the host app around `service` (the contract of `ConformanceTarget`: its middleware, its
   * routes, its 404 and error answers, pushing every error its own handling sees to `hostErrors`) and
   * serves it on 127.0.0.1, port 0.
   */
  serve(service: FlowService, options: StartOptions, hostErrors: unknown[]): Promise<HostServer>;
}

/** A `ConformanceTarget` from its host: each start builds the service (`buildService`) and serves it. */
export function defineTarget({ serve, ...target }: TargetHost): ConformanceTarget {
  return {
    ...target,
    async start(options) {
      const service = buildService(options);
      const hostErrors: unknown[] = [];
      const { url, close } = await serve(service, options, hostErrors);
      return { url, app: service.app, service, hostErrors, close };
    },
  };
}

const json = (res: ServerResponse, status: number, body: string) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

/**
 * The node:http target: a plain `http.createServer` host that mounts `service.node` below the prefix
 * as connect does (the URL it sees starts below the mount point; `next` goes back to the host's routes)
 * and serves its own routes otherwise.
 */
export function nodeHttpTarget(): ConformanceTarget {
  return defineTarget({
    name: 'node:http',
    capabilities: { node: true },
    serve(service, options, hostErrors) {
      const hostError = (res: ServerResponse, error: unknown) => {
        hostErrors.push(error);
        json(res, HOST.boom.status, HOST.boom.body);
      };
      const hostRoutes = async (req: IncomingMessage, res: ServerResponse, path: string) => {
        if (req.method === 'GET' && path === HOST.ping.path) return json(res, 200, HOST.ping.body);
        if (req.method === 'GET' && path === HOST.boom.path) throw new Error('host boom');
        if (req.method === 'POST' && path === HOST.echo.path)
          return json(res, 200, JSON.stringify({ echo: await readJson(req) }));
        json(res, HOST.notFound.status, HOST.notFound.body);
      };
      const server = createServer((req, res) => {
        // The host's middleware.
        res.setHeader(HOST.header, '1');
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = url.pathname;
        const host = () => hostRoutes(req, res, path).catch((error: unknown) => hostError(res, error));
        const ours = belowPrefix(path, options.prefix);
        if (ours === undefined) return void host();
        req.url = ours + url.search;
        service.node(req, res, (error) => (error === undefined ? void host() : hostError(res, error)));
      });
      return nodeServer(server.listen(0, '127.0.0.1'));
    },
  });
}

const jsonResponse = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

/**
 * The fetch target: `service.handleFetch` behind `@hono/node-server`, in a fetch function that plays the
 * host (its own routes, a header on every response, its own 404 and error answers).
 */
export function fetchTarget(): ConformanceTarget {
  return defineTarget({
    name: 'fetch',
    serve(service, options, hostErrors) {
      const hostRoutes = async (request: Request, path: string): Promise<Response> => {
        if (request.method === 'GET' && path === HOST.ping.path) return jsonResponse(200, HOST.ping.body);
        if (request.method === 'GET' && path === HOST.boom.path) throw new Error('host boom');
        if (request.method === 'POST' && path === HOST.echo.path)
          return jsonResponse(200, JSON.stringify({ echo: await request.json() }));
        return jsonResponse(HOST.notFound.status, HOST.notFound.body);
      };
      const fetch = async (request: Request): Promise<Response> => {
        let response: Response;
        try {
          const path = new URL(request.url).pathname;
          const ours = belowPrefix(path, options.prefix);
          response =
            (ours === undefined ? undefined : await service.handleFetch(request, { path: ours })) ??
            (await hostRoutes(request, path));
        } catch (error) {
          hostErrors.push(error);
          response = jsonResponse(HOST.boom.status, HOST.boom.body);
        }
        // The host's middleware.
        response.headers.set(HOST.header, '1');
        return response;
      };
      return nodeServer(honoServe({ fetch, port: 0, hostname: '127.0.0.1' }) as Server);
    },
  });
}
