// `http.body_timeout` on the built-in server: a client that stops sending its request is answered
// 408 and disconnected; a response, however long it streams, is not limited.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { type RunningServer, serve } from '../../src/http/serve.js';

const longAnswer = Array.from({ length: 1200 }, (_, i) => `t${i}`).join(' ');

const running: RunningServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(http: Record<string, unknown>): Promise<RunningServer> {
  const app = createFlowApp({
    env: {},
    config: {
      http: { shutdown_timeout: 0, ...http },
      flow: { talk: { flow_content: 'StreamChatOp()', stream: true } },
      llm: { default: { backend: 'mock', answer: longAnswer, token_delay_ms: 20 } },
    },
  });
  const server = await serve(app, { port: 0, host: '127.0.0.1' });
  running.push(server);
  return server;
}

/** A raw connection that sends `text` and collects everything until the server closes it. */
function rawRequest(server: RunningServer, text: string) {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (data: string) => {
    received += data;
  });
  socket.on('error', () => {});
  socket.write(text);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { socket, closed, received: () => received };
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

/** Waits for a condition on socket data (the test's own timeout catches a hang). */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
