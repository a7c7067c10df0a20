import { connect } from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms until the whole reply was read. */
  ms: number;
  /** Bytes the client had written when the reply's head arrived. */
  bytesSentAtHead: number;
}

/**
 * Sends exact bytes over a fresh TCP connection and reads one HTTP/1.1 response (sized, chunked or up to
 * the close). For requests no HTTP client would send: broken framing, duplicate headers, invalid bytes.
 * `slowBody` keeps sending `size` more bytes in pieces of `piece` every `everyMs` until the head arrives
 * (framed as chunks when `chunked`).
 */
export function rawRequest(
  port: number,
  bytes: Buffer,
  options: {
    timeoutMs?: number;
    slowBody?: { size: number; piece: number; everyMs: number; chunked?: boolean };
  } = {},
): Promise<RawReply> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<RawReply>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let data = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;
    let sent = bytes.length;
    let bytesSentAtHead = 0;
    let pump: ReturnType<typeof setInterval> | undefined;
    const timer = setTimeout(() => fail(new Error(`no complete reply after ${timeoutMs} ms`)), timeoutMs);
    const done = (reply: RawReply) => {
      clearTimeout(timer);
      clearInterval(pump);
      socket.destroy();
      resolve(reply);
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      clearInterval(pump);
      socket.destroy();
      reject(error);
    };
    const tryFinish = (closed: boolean) => {
      if (!head) {
        const end = data.indexOf('\r\n\r\n');
        if (end === -1) {
          if (closed) fail(new Error(`the connection closed without a reply (${data.length} bytes)`));
          return;
        }
        const lines = data.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).trim().toLowerCase();
          headers[name] =
            headers[name] === undefined
              ? line.slice(colon + 1).trim()
              : `${headers[name]}, ${line.slice(colon + 1).trim()}`;
        }
        head = { status, headers, bodyStart: end + 4 };
        bytesSentAtHead = sent;
        clearInterval(pump);
      }
      const body = data.subarray(head.bodyStart);
      const reply = (text: string) =>
        done({
          status: head!.status,
          headers: head!.headers,
          body: text,
          ms: performance.now() - started,
          bytesSentAtHead,
        });
      const length = head.headers['content-length'];
      if (length !== undefined) {
        if (body.length >= Number(length)) return reply(body.subarray(0, Number(length)).toString('utf8'));
      } else if (head.headers['transfer-encoding']?.includes('chunked')) {
        if (body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString() === '0\r\n\r\n')
          return reply(dechunk(body));
      } else if (head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) {
        return reply('');
      }
      if (closed) reply(body.toString('utf8'));
    };
    socket.on('data', (part: Buffer) => {
      data = Buffer.concat([data, part]);
      tryFinish(false);
    });
    socket.on('end', () => tryFinish(true));
    socket.on('close', () => tryFinish(true));
    socket.on('error', () => {
      // A reset after the reply is fine; before it, `close` reports the failure.
    });
    socket.on('connect', () => {
      socket.write(bytes);
      const slow = options.slowBody;
      if (slow) {
        const data = Buffer.alloc(slow.piece, 0x20);
        const piece = slow.chunked
          ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
          : data;
        pump = setInterval(() => {
          if (head || sent - bytes.length >= slow.size || socket.destroyed) return clearInterval(pump);
          socket.write(piece);
          sent += piece.length;
        }, slow.everyMs);
      }
    });
  });
}

function dechunk(body: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end === -1) break;
    const size = Number.parseInt(body.subarray(at, end).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** An HTTP/1.1 request's bytes: the head (CRLF lines) and a body, as given. */
export function requestBytes(head: string[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}
