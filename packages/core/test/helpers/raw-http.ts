// Real servers on port 0 and raw sockets for tests of the built-in server's connection handling
// (timeouts, keep-alive, concurrency), where fetch would hide what happens on the wire.
import { connect, type Socket } from 'node:net';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { type RunningServer, serve } from '../../src/http/serve.js';

const running: RunningServer[] = [];
const sockets: Socket[] = [];

/** Serves `app` on a free local port until {@link closeServedAndSockets}. */
export async function serveOnFreePort(app: FlowApp): Promise<RunningServer> {
  const server = await serve(app, { port: 0, host: '127.0.0.1' });
  running.push(server);
  return server;
}

/** Destroys every raw socket and closes every server opened here; for `afterEach`. */
export async function closeServedAndSockets(): Promise<void> {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
}

/** A raw connection that sends `text`; `closed` resolves with everything received once it closes. */
export function rawRequest(server: RunningServer, text: string) {
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
