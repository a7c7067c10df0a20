// What core answers on its own, with no host app around it (the conformance suite mounts core in a
// host, where paths that are not ours go to the host).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/engine/flow-app.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { nodeListener } from '../../src/http/node-handler.js';
import { FlowService } from '../../src/http/service.js';
import { SSE_HEADERS } from '../../src/sse/headers.js';

const service = () =>
  new FlowService(
    createFlowApp({
      env: {},
      config: { flow: { chat: { flow_content: 'ChatOp()' } }, llm: { default: { backend: 'mock' } } },
    }),
  );

it('SSE_HEADERS sets no hop-by-hop header (they break HTTP/2)', () => {
  const names = Object.keys(SSE_HEADERS).map((name) => name.toLowerCase());
  for (const forbidden of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade'])
    expect(names).not.toContain(forbidden);
});

describe('nodeListener alone', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('answers a path that is not ours 404 {"detail":"Not Found"}, on a real socket', async () => {
    server = createServer(nodeListener(service()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
