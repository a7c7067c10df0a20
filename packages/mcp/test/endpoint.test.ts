// createMcpEndpoint on its own (the conformance suite drives it through every adapter): the
// DNS-rebinding guard on a loopback connection, the fetch handler's guard, and close().
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, postJson } from '@flowllm/conformance';
import { createFlowApp } from '@flowllm/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpEndpoint, type McpEndpoint } from '../src/endpoint.js';

const app = createFlowApp({
  env: {},
  config: {
    flow: { chat: { flow_content: 'ChatOp()' } },
    llm: { default: { backend: 'mock', answer: 'Hello {input}' } },
  },
});

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
};
const ACCEPT = { accept: 'application/json, text/event-stream' };

const opened: { endpoint: McpEndpoint; server?: Server }[] = [];
afterEach(async () => {
  for (const { endpoint, server } of opened.splice(0)) {
    await endpoint.close();
    if (server) await closeServer(server);
  }
});

async function serveOnLoopback(endpoint: McpEndpoint): Promise<string> {
  const server = createServer((req, res) => void endpoint.handleNode(req, res));
  opened.push({ endpoint, server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function fetchInitialize(endpoint: McpEndpoint, headers: Record<string, string>, localAddress?: string) {
  const request = new Request('http://127.0.0.1:8000/mcp', {
    method: 'POST',
    headers: { ...ACCEPT, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(INITIALIZE),
  });
  return endpoint.handleFetch(request, { localAddress });
}

describe('createMcpEndpoint: Node requests on a loopback address', () => {
  it('refuses the loopback port under another Host name (DNS rebinding) with 403, without options', async () => {
    const url = await serveOnLoopback(createMcpEndpoint(app));
    const port = new URL(url).port;
    const rebound = await postJson(url, '/mcp', INITIALIZE, {
      headers: { ...ACCEPT, host: `evil.example:${port}` },
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({
      error: { code: -32000, message: expect.stringContaining('Host') },
    });
    const local = await postJson(url, '/mcp', INITIALIZE, {
      headers: { ...ACCEPT, host: `localhost:${port}` },
    });
    expect(local.status).toBe(200);
    expect(local.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets a proxied public Host in once allowedHosts names it', async () => {
    const url = await serveOnLoopback(createMcpEndpoint(app, { allowedHosts: ['mcp.example.com'] }));
    const proxied = await postJson(url, '/mcp', INITIALIZE, {
      headers: { ...ACCEPT, host: 'mcp.example.com' },
    });
    expect(proxied.status).toBe(200);
  });

  it('after close(), answers 503 and opens no session', async () => {
    const endpoint = createMcpEndpoint(app);
    const url = await serveOnLoopback(endpoint);
    await endpoint.close();
    const late = await postJson(url, '/mcp', INITIALIZE, { headers: ACCEPT });
    expect(late.status).toBe(503);
    expect(late.headers['mcp-session-id']).toBeUndefined();
  });
});

describe('createMcpEndpoint: fetch requests', () => {
  it('guards a loopback connection the runtime reports, and a loopback Host, as the Node path does', async () => {
    const endpoint = createMcpEndpoint(app);
    opened.push({ endpoint });
    expect((await fetchInitialize(endpoint, { host: 'evil.example:8000' }, '127.0.0.1')).status).toBe(403);
    expect((await fetchInitialize(endpoint, { origin: 'http://evil.example' })).status).toBe(403);
    const ok = await fetchInitialize(endpoint, {}, '::ffff:127.0.0.1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a session opened on one handler is unknown to the other (404)', async () => {
    const endpoint = createMcpEndpoint(app);
    const url = await serveOnLoopback(endpoint);
    const opened = await postJson(url, '/mcp', INITIALIZE, { headers: ACCEPT });
    const sessionId = String(opened.headers['mcp-session-id']);
    const request = new Request(`${url}/mcp`, {
      method: 'POST',
      headers: { ...ACCEPT, 'content-type': 'application/json', 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect((await endpoint.handleFetch(request)).status).toBe(404);
  });
});
