import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeqChecker, type SeqTally } from './client.js';
import { endOnce } from './http-client.js';

/** A throw-away self-signed certificate for 127.0.0.1 / localhost (openssl, as the conformance suite does). */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-h2-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const args =
      'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost';
    execFileSync(
      'openssl',
      [
        ...args.split(' '),
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      {
        stdio: 'ignore',
      },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface H2Tally extends SeqTally {
  /** The response headers as received (pseudo-headers included). */
  responseHeaders: IncomingHttpHeaders;
}

/** POSTs `{query: tag}` on an HTTP/2 session and checks every sequence-numbered chunk. */
export function h2SeqStream(
  session: ClientHttp2Session,
  path: string,
  { tag, count, timeoutMs }: { tag: string; count: number; timeoutMs: number },
): Promise<H2Tally> {
  const started = performance.now();
  const checker = new SeqChecker(tag, count);
  return new Promise<H2Tally>((resolve) => {
    let headers: IncomingHttpHeaders = {};
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' });
    const ending = endOnce(
      timeoutMs,
      () => stream.close(),
      ({ complete, failure }) => {
        checker.finish();
        resolve({
          ...checker.tally,
          status: Number(headers[':status'] ?? 0),
          headers,
          responseHeaders: headers,
          complete,
          failure,
          firstChunkMs: checker.firstChunkAt === undefined ? undefined : checker.firstChunkAt - started,
          endMs: performance.now() - started,
        });
      },
    );
    stream.setEncoding('utf8');
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('data', (part: string) => checker.feed(part));
    ending.follow(stream);
    stream.end(JSON.stringify({ query: tag }));
  });
}
