import { requestBytes } from './raw-http.js';

// The bytes of hand-made requests for the bad-input tables (no HTTP client would send most of them).

export const HEAD = ['Host: 127.0.0.1', 'Connection: close'];

/** A POST with a JSON content type and the right Content-Length unless `headers` say otherwise. */
export function post(
  path: string,
  body: Buffer | string,
  headers: string[] = ['Content-Type: application/json'],
) {
  const bytes = Buffer.from(body);
  const sized = headers.some((h) => /^(content-length|transfer-encoding):/i.test(h))
    ? headers
    : [...headers, `Content-Length: ${bytes.length}`];
  return requestBytes([`POST ${path} HTTP/1.1`, ...HEAD, ...sized], bytes);
}

export const get = (target: string, headers: string[] = []) =>
  requestBytes([`GET ${target} HTTP/1.1`, ...HEAD, ...headers]);

export const method = (name: string, path = '/chat') =>
  requestBytes([`${name} ${path} HTTP/1.1`, ...HEAD, 'Content-Length: 0']);

export const nested = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);

export const chunked = (text: string, size = 64 * 1024) => {
  let out = '';
  for (let at = 0; at < text.length; at += size) {
    const piece = text.slice(at, at + size);
    out += `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
  }
  return `${out}0\r\n\r\n`;
};

export const utf8Bad = (bytes: number[]) =>
  Buffer.concat([Buffer.from('{"query":"'), Buffer.from(bytes), Buffer.from('"}')]);
