// The small part of a node-redis client this package uses, and how each connection is made: an 'error'
// listener always (an unhandled one crashes the process), no offline queue (the write queue decides what
// waits), a connect timeout, and a capped reconnect once the first connect worked.
import { createClient } from 'redis';

/**
 * What the log needs of a node-redis v6 client: raw commands keep it independent of API drift.
 *
 * @example
 * const pong = await conn.sendCommand<string>(['PING']);
 */
export interface RedisConn {
  readonly isReady: boolean;
  sendCommand<T = unknown>(args: readonly string[]): Promise<T>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'end', listener: () => void): unknown;
}

/**
 * How to open one connection.
 *
 * @example
 * const conn = openConnection({ url, connectTimeoutMs: 5000, maxReconnectDelayMs: 2000, onError });
 */
export interface ConnectionOptions {
  url: string;
  connectTimeoutMs: number;
  maxReconnectDelayMs: number;
  /** Called on every driver error (a lost socket, a refused reconnect): never thrown. */
  onError(error: Error): void;
}

/**
 * A client that is not connected yet; `connect()` fails fast (no retry) so start-up reports an absent
 * Redis at once, and after that reconnects forever with a backoff capped at `maxReconnectDelayMs`.
 *
 * @example
 * const conn = openConnection(options);
 * await conn.connect();
 */
export function openConnection(options: ConnectionOptions): RedisConn {
  let connectedOnce = false;
  const client = createClient({
    url: options.url,
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries: number, cause: Error) =>
        connectedOnce ? Math.min(50 * 2 ** retries, options.maxReconnectDelayMs) : cause,
    },
  });
  client.on('error', (error: Error) => options.onError(error));
  client.on('ready', () => {
    connectedOnce = true;
  });
  return client as unknown as RedisConn;
}

/**
 * True for errors of the connection (the command may or may not have run), false for Redis' own
 * error replies (the command ran and failed).
 *
 * @example
 * if (isConnectionError(error)) retryLater();
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  // ErrorReply and its subclasses are answers from the server.
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto && proto !== Error.prototype) {
    if ((proto as { constructor: { name: string } }).constructor.name === 'ErrorReply') return false;
    proto = Object.getPrototypeOf(proto);
  }
  return true;
}
