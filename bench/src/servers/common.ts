import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A target's server, listening on 127.0.0.1. */
export interface RunningTarget {
  port: number;
  close(): Promise<void>;
}

/** Reads and parses a JSON request body (the bench's bodies are tiny and well-formed). */
export function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (part: string) => {
      text += part;
    });
    request.on('end', () => {
      try {
        resolve(text === '' ? {} : JSON.parse(text));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

/** Waits until a node:http server listens, and returns it as a running target. */
export async function nodeTarget(server: Server): Promise<RunningTarget> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SSE headers the hand-written targets send (the same as flowllm's). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
