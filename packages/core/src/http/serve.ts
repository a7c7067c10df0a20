import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpConfig } from '../config/config-types.js';
import { limitConcurrency } from './concurrency-limit.js';
import type { FlowService } from './service.js';
import { createFlowService, type FlowServiceOptions, type FlowServiceSource } from './service-source.js';

/**
 * Options of {@link serve}: where to listen, and those of `createFlowService` (`logger`, `overrides`, …).
 *
 * @example
 * const running = await serve('my_stream_config', { port: 0, host: '127.0.0.1', offlineFallback: true });
 */
export interface ServeOptions extends FlowServiceOptions {
  /**
   * The port; 0 picks a free one.
   * @default the config's `http.port` (8002)
   */
  port?: number;
  /**
   * The host to listen on.
   * @default the config's `http.host` (`0.0.0.0`)
   */
  host?: string;
}

/**
 * A server started by {@link serve}.
 *
 * @example
 * const running = await serve(app, { port: 0 });
 * console.log(running.url); // http://localhost:54321
 * process.once('SIGTERM', () => running.close());
 */
export interface RunningServer {
  server: Server;
  service: FlowService;
  /** `http://host:port`, with the real port. */
  url: string;
  /**
   * Graceful shutdown: open streams get a final event and end, then the server closes (`server.close()`
   * alone would wait for open streams forever).
   */
  close(): Promise<void>;
}

/**
 * Starts a node:http server for a config, app or service: the standalone `flowllm backend=http`.
 *
 * @param source a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * const running = await serve('my_stream_config', { port: 0 });
 * console.log(running.url);
 * await running.close();
 */
export async function serve(source: FlowServiceSource, options: ServeOptions = {}): Promise<RunningServer> {
  const { port: wantedPort, host: wantedHost, ...serviceOptions } = options;
  const service = createFlowService(source, serviceOptions);
  const app = service.app;
  // A resume store that cannot start (Redis down) fails the start-up, before anything listens.
  try {
    await service.ready();
  } catch (error) {
    service.shutdown();
    throw error;
  }
  const server = createServer(
    requestTimeouts(app.config.http),
    limitConcurrency(service.node, app.config.http),
  );
  // FlowLLM's uvicorn keeps idle connections for `timeout_keep_alive` seconds (Node's own default is 5).
  server.keepAliveTimeout = Math.ceil(app.config.http.timeout_keep_alive * 1000);
  const host = wantedHost ?? app.config.http.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort ?? app.config.http.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    service,
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    close: () => closeGracefully(server, service, app.config.http.shutdown_timeout * 1000),
  };
}

/**
 * Node's own request timers, from `http.body_timeout`: a client that takes longer to send its headers
 * and body gets `408` and the connection is closed (Node's default waits 300 s). A response, however
 * long it streams, is not limited. Node checks the timers every `connectionsCheckingInterval` (30 s by
 * default), so that becomes a fraction of the timeout.
 */
function requestTimeouts(http: HttpConfig): ServerOptions {
  const requestTimeout = Math.ceil(http.body_timeout * 1000);
  // Off: headers keep Node's own 60 s.
  if (requestTimeout === 0) return { requestTimeout: 0 };
  return {
    requestTimeout,
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeout: Math.min(requestTimeout, 60_000),
    connectionsCheckingInterval: Math.min(Math.ceil(requestTimeout / 4), 30_000),
  };
}

/**
 * Ends every open stream with a final event, stops accepting connections, and after `timeoutMs`
 * closes whatever connections are still open.
 *
 * @example
 * process.once('SIGTERM', () => closeGracefully(server, service, 10_000));
 */
export function closeGracefully(server: Server, service: FlowService, timeoutMs: number): Promise<void> {
  service.shutdown();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    // Keep-alive connections become idle as their streams end: close them as they do.
    const sweeper = setInterval(() => server.closeIdleConnections(), 25);
    sweeper.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweeper);
      // shutdown() started closing the app's connections: the process may exit once they are closed.
      // …and the resume store its pending writes (flushed before the process may exit).
      void Promise.all([service.app.close(), service.resumeClosed]).then(() => resolve());
    });
    server.closeIdleConnections();
  });
}
