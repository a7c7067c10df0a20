// `http.body_timeout` on the built-in server: a client that stops sending its request is answered
// 408 and disconnected; a response, however long it streams, is not limited.
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { RunningServer } from '../../src/http/serve.js';
import { closeServedAndSockets, rawRequest, serveOnFreePort } from '../helpers/raw-http.js';
import { waitUntil } from '../helpers/wait.js';

const longAnswer = Array.from({ length: 1200 }, (_, i) => `t${i}`).join(' ');

afterEach(closeServedAndSockets);

function start(http: Record<string, unknown>): Promise<RunningServer> {
  const app = createFlowApp({
    env: {},
    config: {
      http: { shutdown_timeout: 0, ...http },
      flow: { talk: { flow_content: 'StreamChatOp()', stream: true } },
      llm: { default: { backend: 'mock', answer: longAnswer, token_delay_ms: 20 } },
    },
  });
  return serveOnFreePort(app);
}

const partialPost =
  'POST /talk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":';

describe('serve(): http.body_timeout', () => {
  it('answers 408 and closes the connection when the body stops coming', async () => {
    const server = await start({ body_timeout: 0.2 });
    const { closed } = rawRequest(server, partialPost);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(server.service.streamCap.open).toBe(0);
  });

  it('answers 408 when the headers never end', async () => {
    const server = await start({ body_timeout: 0.2 });
    const { closed } = rawRequest(server, 'POST /talk HTTP/1.1\r\nHost: x\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('does not limit a response: a stream outlives the timeout of the request that started it', async () => {
    const server = await start({ body_timeout: 0.2 });
    const body = '{"query":"hi"}';
    const stream = rawRequest(
      server,
      `POST /talk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await waitUntil(() => stream.received().includes('data:{'));
    // A request started after the stream's has timed out: so has the stream's own deadline.
    expect(await rawRequest(server, partialPost).closed).toMatch(/^HTTP\/1\.1 408 /);
    const seen = stream.received().length;
    await waitUntil(() => stream.received().length > seen);
    expect(stream.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(stream.socket.destroyed).toBe(false);
  });

  it('sets Node’s request timers from the config: 30 s by default, 0 turns the limit off', async () => {
    const byDefault = await start({});
    expect(byDefault.server.requestTimeout).toBe(30_000);
    expect(byDefault.server.headersTimeout).toBe(30_000);
    const off = await start({ body_timeout: 0 });
    expect(off.server.requestTimeout).toBe(0);
  });
});
