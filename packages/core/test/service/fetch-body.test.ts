import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { FlowService } from '../../src/http/service.js';

// The fetch path reads a body with a Content-Length whole (no web stream); these pin that path.
const service = new FlowService(
  createFlowApp({
    env: {},
    config: {
      http: { body_limit: 64 },
      llm: { default: { backend: 'mock', answer: 'ok {input}' } },
      flow: { chat: { flow_content: 'ChatOp()', input_schema: { query: { type: 'string' } } } },
    },
  }),
);

function post(body: BodyInit, contentLength: string): Request {
  return new Request('http://localhost/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': contentLength },
    body,
  });
}

describe('a sized body on the fetch path', () => {
  it('is read whole and answered', async () => {
    const body = '{"query":"hi"}';
    const response = await handleFetchRequest(service, post(body, String(body.length)));
    expect(response?.status).toBe(200);
    expect(await response?.json()).toMatchObject({ success: true });
  });

  it('that is longer than its Content-Length claims still gets 413 past the limit', async () => {
    const body = JSON.stringify({ query: 'x'.repeat(200) });
    const response = await handleFetchRequest(service, post(body, '10'));
    expect(response?.status).toBe(413);
    expect(await response?.json()).toEqual({ detail: expect.stringContaining('64') });
  });

  it('with invalid UTF-8 gets 400', async () => {
    const response = await handleFetchRequest(service, post(Uint8Array.of(0x7b, 0xff, 0x7d), '3'));
    expect(response?.status).toBe(400);
    expect(await response?.json()).toEqual({ detail: 'the body is not valid UTF-8' });
  });
});

describe('a Node request passed as nodeRequest (what the h3 adapter does with srvx)', () => {
  // A real node:http server whose handler builds a body-less web Request, as srvx's lazy one is.
  const server = createServer(async (incoming: IncomingMessage, outgoing) => {
    const request = new Request(`http://localhost${incoming.url}`, {
      method: incoming.method,
      headers: { 'content-type': String(incoming.headers['content-type']) },
    });
    const response = await handleFetchRequest(service, request, { nodeRequest: incoming });
    outgoing.writeHead(response?.status ?? 404, { 'content-type': 'application/json' });
    outgoing.end(await response?.text());
  });
  const listening = new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function postRaw(body: string): Promise<{ status: number; body: string }> {
    return listening.then(
      (base) =>
        new Promise((resolve, reject) => {
          const req = httpRequest(`${base}/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
          });
          req.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (part: string) => (text += part));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.end(body);
        }),
    );
  }

  it('has its body read from the Node request', async () => {
    const reply = await postRaw('{"query":"via node"}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ answer: 'ok via node', success: true });
  });

  it('is held to the body limit while it is read (413)', async () => {
    const reply = await postRaw(JSON.stringify({ query: 'x'.repeat(200) }));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ detail: expect.stringContaining('64') });
  });
});
