import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { bodyTooLarge, HttpError } from './http-error.js';

// Strict: JSON travels as UTF-8 (RFC 8259), so invalid bytes are a 400, not silently replaced with U+FFFD.
// A byte order mark is kept, so JSON.parse refuses it as on every other path.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes a whole body as UTF-8; 400 when it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decodeOrRefuse(() => utf8.decode(bytes));
}

/** Runs a strict UTF-8 decode (whole or streamed); 400 when the bytes are not valid UTF-8. */
export function decodeOrRefuse(decode: () => string): string {
  try {
    return decode();
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8');
  }
}

/**
 * Reads a Node request body as UTF-8 text, stopping with 413 as soon as it passes `limit` bytes
 * (the rest is never buffered).
 *
 * @example
 * const text = await readNodeBody(request, 1_048_576);
 */
export function readNodeBody(request: IncomingMessage | Http2ServerRequest, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        cleanup();
        request.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      parts.push(part);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(decodeUtf8(Buffer.concat(parts)));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError(400, `the body could not be read: ${error.message}`));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
