// The whole Node path without sockets, for the in-process benches: a request stream in,
// handleNodeRequest → the flow → the pump, and a response that takes every write at once and counts it.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

/** A response that takes every write at once and counts what it got. */
export class CountingResponse extends EventEmitter {
  bytes = 0;
  writableEnded = false;
  headersSent = false;
  destroyed = false;
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  write(text: string): boolean {
    this.bytes += text.length;
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('finish');
    this.emit('close');
  }
}

/** `handleNodeRequest` of one build of core (from its `adapter.js`). */
type HandleNodeRequest = (service: never, request: never, response: never) => Promise<unknown>;

/**
 * A function that POSTs `body` to `path` on `service` for `streams` concurrent streams through
 * `handleNodeRequest`, resolving with the bytes they wrote in all.
 */
export function nodePathRunner(
  handleNodeRequest: HandleNodeRequest,
  service: unknown,
  path: string,
  body: string,
): (streams: number) => Promise<number> {
  const one = async () => {
    const request = Object.assign(Readable.from([Buffer.from(body)]), {
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    const response = new CountingResponse();
    const finished = new Promise((resolve) => response.once('finish', resolve));
    await handleNodeRequest(service as never, request as never, response as never);
    await finished;
    return response.bytes;
  };
  return async (streams) => (await Promise.all(Array.from({ length: streams }, one))).reduce((a, b) => a + b);
}
