// What core answers on its own, with no host app around it (the conformance suite mounts core in a
// host, where paths that are not ours go to the host), and the one service object's ways in.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defineConfig } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { nodeListener, toFlowService } from '../../src/http/deprecated.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { createFlowService } from '../../src/http/service-source.js';
import { SSE_HEADERS } from '../../src/sse/headers.js';

const CONFIG = defineConfig({
  flow: { chat: { flow_content: 'ChatOp()' } },
  llm: { default: { backend: 'mock' } },
});
const service = () => createFlowService(CONFIG, { env: {} });

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves `listener` on 127.0.0.1, port 0, and returns its origin. */
async function listen(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('SSE_HEADERS sets no hop-by-hop header (they break HTTP/2)', () => {
  const names = Object.keys(SSE_HEADERS).map((name) => name.toLowerCase());
  for (const forbidden of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade'])
    expect(names).not.toContain(forbidden);
});

describe('service.node alone', () => {
  it('answers a path that is not ours 404 {"detail":"Not Found"}, on a real socket', async () => {
    const base = await listen(service().node);
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/chat/extra'],
      ['GET', '/'],
      ['POST', '/nope'],
    ] as const) {
      const response = await fetch(base + path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text(), path).toBe('{"detail":"Not Found"}');
    }
    const health = await fetch(`${base}/health`);
    expect(await health.text()).toBe('{"status":"healthy"}');
  });
});

describe('handleFetchRequest alone', () => {
  it('returns undefined for a path that is not ours, so a router can fall through', async () => {
    const flows = service();
    for (const path of ['/nope', '/chat/extra', '/'])
      expect(await handleFetchRequest(flows, new Request(`http://localhost${path}`))).toBeUndefined();
    const health = await handleFetchRequest(flows, new Request('http://localhost/health'));
    expect(await health?.text()).toBe('{"status":"healthy"}');
  });
});

describe('service.fetch', () => {
  it('answers a path that is not ours 404 {"detail":"Not Found"}, and ours as the service', async () => {
    const flows = service();
    const missing = await flows.fetch(new Request('http://localhost/nope'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await missing.text()).toBe('{"detail":"Not Found"}');
    const health = await flows.fetch(new Request('http://localhost/health'));
    expect(await health.text()).toBe('{"status":"healthy"}');
  });

  it('handleFetch returns undefined for a path that is not ours (a router falls through)', async () => {
    const { handleFetch } = service(); // bound: usable on its own
    expect(await handleFetch(new Request('http://localhost/nope'))).toBeUndefined();
    const ours = await handleFetch(new Request('http://localhost/x/health'), { path: '/health' });
    expect(await ours?.text()).toBe('{"status":"healthy"}');
  });
});

describe('service.node as connect-style middleware', () => {
  it('hands other paths to next() and serves its own, on a real socket', async () => {
    const flows = service();
    const base = await listen((request, response) =>
      flows.node(request, response, () => response.writeHead(200).end('host')),
    );
    expect(await (await fetch(`${base}/nope`)).text()).toBe('host');
    expect(await (await fetch(`${base}/health`)).text()).toBe('{"status":"healthy"}');
    const chat = await fetch(`${base}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"hi"}',
    });
    expect(chat.status).toBe(200);
  });

  it('reuses a body a body parser left on request.body', async () => {
    const flows = service();
    const base = await listen((request, response) => {
      // What express.json() leaves behind: the body read and parsed, the stream consumed.
      request.resume();
      request.once('end', () => {
        Object.assign(request, { body: { query: 'parsed' } });
        flows.node(request, response, () => response.writeHead(500).end());
      });
    });
    const chat = await fetch(`${base}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json: the parsed body is used',
    });
    expect(chat.status).toBe(200);
  });
});

describe('createFlowService', () => {
  it('returns a service as it is, and shares an app rather than rebuilding it', () => {
    const app = createFlowApp({ env: {}, config: CONFIG });
    const first = createFlowService(app);
    expect(first.app).toBe(app);
    expect(createFlowService(first)).toBe(first);
    expect(createFlowService(app).app).toBe(app);
  });

  it('recognises a service or an app by its brand, as one from another copy of the package carries it', () => {
    const app = createFlowApp({ env: {}, config: CONFIG });
    // A structural stand-in for another copy's objects: not instances of this copy's classes.
    const foreignService = Object.assign(Object.create(null), { [Symbol.for('flowllm.service')]: true });
    expect(createFlowService(foreignService)).toBe(foreignService);
    const foreignApp = Object.assign(Object.create(Object.getPrototypeOf({})), {
      [Symbol.for('flowllm.app')]: true,
      config: app.config,
      flows: app.flows,
    });
    expect(createFlowService(foreignApp).app).toBe(foreignApp);
  });

  it('keeps the deprecated aliases working: toFlowService and nodeListener', async () => {
    const flows = toFlowService(CONFIG, { env: {} });
    expect(nodeListener(flows)).toBe(flows.node);
    expect(toFlowService(flows)).toBe(flows);
  });
});
