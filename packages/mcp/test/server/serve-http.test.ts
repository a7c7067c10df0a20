// serveMcp's HTTP transports in process: Host/Origin checks (DNS-rebinding protection), stateless mode,
// sessions ended by DELETE or by close(), and a client that drops a POST's response mid-stream.
import { createFlowApp } from '@flowllm/core';
import { type LocalUpstream, startOpenAiUpstream } from '@flowllm/testing';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpServer, type ServeMcpOptions, serveMcp } from '../../src/index.js';
import { connectClient, flowConfig, HANG_MS, SLOW_WORDS, settles, waitFor } from './helpers.js';
import { aborts, testApp } from './test-ops.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let upstream: LocalUpstream;
const running: RunningMcpServer[] = [];

beforeAll(async () => {
  upstream = await startOpenAiUpstream([{ answer: SLOW_WORDS, delayMs: 20 }]);
});
afterAll(() => upstream.close());
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(options: ServeMcpOptions, app = testApp()): Promise<RunningMcpServer & { url: string }> {
  const server = await serveMcp(app, { host: '127.0.0.1', port: 0, ...options });
  running.push(server);
  return server as RunningMcpServer & { url: string };
}

/** A raw POST to the MCP endpoint (fetch sets Host from the URL; a test may override it). */
function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: JSON.stringify(body) });
}

describe('DNS-rebinding protection on a loopback host', () => {
  it.each(['streamable-http', 'sse'] as const)(
    '%s: another Host name gets 403; a loopback one does not',
    async (transport) => {
      const server = await serve({ transport });
      const port = new URL(server.url).port;
      // fetch refuses to set Host; node:http's request does not.
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const request = (async () => {
            const { request: httpRequest } = await import('node:http');
            const req = httpRequest(server.url, {
              method: transport === 'sse' ? 'GET' : 'POST',
              headers: { ...MCP_HEADERS, host },
            });
            req.once('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
              req.destroy();
            });
            req.once('error', reject);
            req.end(transport === 'sse' ? undefined : JSON.stringify(INIT));
          })();
          request.catch(reject);
        });
      expect(await status(`evil.example:${port}`)).toBe(403);
      expect(await status(`localhost:${port}`)).toBe(200);
    },
  );

  it('a foreign Origin gets 403, a loopback one passes, allowedOrigins adds others', async () => {
    const server = await serve({ transport: 'streamable-http', allowedOrigins: ['https://app.example'] });
    const evil = await post(server.url, INIT, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({
      error: { message: 'Invalid Origin header: http://evil.example' },
    });
    expect((await post(server.url, INIT, { origin: 'https://app.example' })).status).toBe(200);
    const plain = await serve({ transport: 'streamable-http' });
    expect((await post(plain.url, INIT, { origin: 'http://localhost:6274' })).status).toBe(200);
    expect((await post(plain.url, INIT, { origin: 'https://app.example' })).status).toBe(403);
  });

  it('reads mcp.allowed_origins from the config', async () => {
    const app = testApp(['mcp.allowed_origins=["https://cfg.example"]']);
    const server = await serve({ transport: 'streamable-http' }, app);
    expect((await post(server.url, INIT, { origin: 'https://cfg.example' })).status).toBe(200);
  });
});

describe('streamable-http sessions', () => {
  it('DELETE ends the session: its id then gets 404', async () => {
    const server = await serve({ transport: 'streamable-http' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url));
    const client = await connectClient(transport);
    const sessionId = transport.sessionId ?? '';
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await client.listTools();
    await transport.terminateSession();
    const after = await post(
      server.url,
      { jsonrpc: '2.0', id: 9, method: 'tools/list' },
      { 'mcp-session-id': sessionId },
    );
    expect(after.status).toBe(404);
    await client.close();
  });

  it('a request without a session id (not initialize) gets 400', async () => {
    const server = await serve({ transport: 'streamable-http' });
    const response = await post(server.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(response.status).toBe(400);
  });

  it('close() ends open sessions and aborts their running flows', async () => {
    const server = await serve({ transport: 'streamable-http' });
    const client = await connectClient(new StreamableHTTPClientTransport(new URL(server.url)));
    aborts.length = 0;
    // The op streams "started", then waits for its abort.
    let started = false;
    const call = client.callTool({ name: 'wait_for_abort', arguments: {} }, undefined, {
      onprogress: () => {
        started = true;
      },
    });
    call.catch(() => {});
    await waitFor(() => started, HANG_MS, 'the flow to start');
    await settles(server.close(), 'close()');
    await waitFor(() => aborts.length === 1, HANG_MS, 'the flow to be aborted');
    await settles(server.closed, 'the server to stop');
    await client.close();
  });

  it('a client that drops the POST mid-stream stops the flow and the upstream model request', async () => {
    const app = createFlowApp({ config: flowConfig(upstream.url), env: { FLOW_LLM_API_KEY: 'sk-test' } });
    const server = await serve({ transport: 'streamable-http' }, app);
    const init = await post(server.url, INIT);
    const session = init.headers.get('mcp-session-id') ?? '';
    await init.body?.cancel();
    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
    await post(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    const before = upstream.requests.length;
    const controller = new AbortController();
    const call = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'ask_stream', arguments: { query: 'slow' }, _meta: { progressToken: 'p' } },
      }),
      signal: controller.signal,
    });
    const reader = (call.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('notifications/progress')) {
      const { value, done } = await settles(reader.read(), 'a progress event');
      if (done) throw new Error(`the stream ended early: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    controller.abort();
    await waitFor(
      () => upstream.requests[before]?.closedAt !== undefined,
      HANG_MS,
      'the upstream request to close',
    );
    expect(upstream.requests[before]?.completed).toBe(false);
  });
});

describe('stateless streamable-http', () => {
  it('serves calls without a session; GET and DELETE get 405', async () => {
    const server = await serve({ transport: 'streamable-http', stateless: true });
    const transport = new StreamableHTTPClientTransport(new URL(server.url));
    const client = await connectClient(transport);
    expect(transport.sessionId).toBeUndefined();
    const result = await client.callTool({ name: 'object_answer', arguments: { query: 'Oslo' } });
    expect(result.structuredContent).toEqual({ city: 'Oslo', temp_c: 14 });
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(server.url, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    await client.close();
  });
});

describe('sse', () => {
  it('a POST for an unknown session gets 404; other paths 404', async () => {
    const server = await serve({ transport: 'sse' });
    const base = new URL(server.url);
    const unknown = await post(new URL('/messages/?sessionId=nope', base).href, INIT);
    expect(unknown.status).toBe(404);
    expect((await fetch(new URL('/mcp', base))).status).toBe(404);
  });
});

describe('stdio', () => {
  it('serves on the given streams and stops when stdin ends', async () => {
    const { PassThrough } = await import('node:stream');
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let written = '';
    stdout.on('data', (data: Buffer) => {
      written += data.toString();
    });
    const server = await serveMcp(testApp(), { transport: 'stdio', stdio: { stdin, stdout } });
    expect(server.url).toBeUndefined();
    stdin.write(`${JSON.stringify(INIT)}\n`);
    await waitFor(() => written.includes('"id":1'), HANG_MS, 'the initialize answer');
    expect(JSON.parse(written).result.serverInfo.name).toBe('FlowLLM');
    stdin.end();
    await settles(server.closed, 'the server to stop when stdin ended');
  });
});
