import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFlowApp,
  createFlowService,
  type FlowApp,
  type FlowService,
  type ServiceLogger,
} from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { type DemoConfigOptions, demoConfig } from './demo-config.js';

export interface BuildServerOptions extends DemoConfigOptions {
  /** Where the flow service logs failures; default one line on stderr. */
  logger?: ServiceLogger;
}

export interface BrowserDemo {
  /** The node:http server: the page at `/`, the flow service under `/api`. */
  server: Server;
  service: FlowService;
  app: FlowApp;
  /** The mock model, whose `stats` show what the page made it do (e.g. `aborted` after Stop). */
  llm(): MockLlm;
  /** Listens (port 0 = any free port) and resolves with the page's URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Ends open streams, then closes the server. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** URL path → file: the page's own files, and the two ES modules of the client the import map names. */
function staticFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(PUBLIC_DIR)) files.set(`/${name}`, join(PUBLIC_DIR, name));
  files.set('/', join(PUBLIC_DIR, 'index.html'));
  // The built ESM of @flowllm/client and of the eventsource-parser it depends on: no bundler needed.
  const require = createRequire(import.meta.url);
  const clientEntry = require.resolve('@flowllm/client');
  files.set('/vendor/flowllm-client.js', clientEntry);
  files.set('/vendor/index.js.map', `${clientEntry}.map`);
  const parserPackage = createRequire(clientEntry).resolve('eventsource-parser/package.json');
  const parserExports = (require(parserPackage) as { exports: { '.': { import: string } } }).exports['.'];
  files.set('/vendor/eventsource-parser.js', join(dirname(parserPackage), parserExports.import));
  return files;
}

/**
 * The browser demo: a node:http server with the chat pages and the flow service mounted under `/api`
 * (`POST /api/demo_stream_http_flow` for the page, `GET` of the same path for its EventSource variant).
 *
 * @example
 * const demo = buildServer();
 * console.log(await demo.listen(8010)); // open it in a browser
 */
export function buildServer(options: BuildServerOptions = {}): BrowserDemo {
  const app = createFlowApp({ config: demoConfig(options), env: {} });
  const service = createFlowService(app, { logger: options.logger });
  const files = staticFiles();

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(file ? 'Method Not Allowed' : 'Not Found');
      return;
    }
    const body = await readFile(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      // Mounted under /api as connect mounts middleware: the service sees the path below it.
      request.url = (url.pathname.slice(4) || '/') + url.search;
      return service.node(request, response);
    }
    serveStatic(request, response).catch((error: unknown) => {
      service.logger.error(`request failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  return {
    server,
    service,
    app,
    llm: () => app.resources.llm('default') as MockLlm,
    // With resume on, the service is ready once its run store is up.
    listen: (port = 0, host = '127.0.0.1') =>
      service.ready().then(
        () =>
          new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => {
              server.off('error', reject);
              const address = server.address() as AddressInfo;
              resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`);
            });
          }),
      ),
    close: () =>
      new Promise((resolve) => {
        service.shutdown();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
