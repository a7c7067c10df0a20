import {
  connect,
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { HANG_MS } from '@flowllm/conformance';
import { createFlowApp, createFlowService, type FlowService } from '@flowllm/core';
import { flowllmFastify } from '@flowllm/fastify';
import { flowllmKoa } from '@flowllm/koa';
import Fastify, { type FastifyInstance } from 'fastify';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTally, FORBIDDEN_HEADERS, waitFor } from '../src/client.js';
import { h2SeqStream, selfSignedCert } from '../src/h2.js';
import { reliabilityOps } from '../src/ops.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { HOST, type LogLine, recordingLogger } from '../src/targets.js';

const { streams, sessions, chunks } = SIZE.http2;
// The full size runs up to 2,000 streams at once: above http.max_streams' default of 1,000.
const config = {
  http: { max_streams: 0 },
  flow: { seq: { flow_content: `SeqStreamOp(count=${chunks}, burst=4)`, stream: true } },
};

type Tls = { key: Buffer; cert: Buffer };

interface H2Host {
  url: string;
  service: FlowService;
  logs: LogLine[];
  hostErrors: unknown[];
  close(): Promise<void>;
}

function service(): { service: FlowService; logs: LogLine[] } {
  const logger = recordingLogger();
  const app = createFlowApp({ config, env: {}, ops: reliabilityOps });
  return { service: createFlowService(app, { logger }), logs: logger.lines };
}

async function listenH2(server: Http2Server | Http2SecureServer, secure: boolean): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return `${secure ? 'https' : 'http'}://${HOST}:${(server.address() as AddressInfo).port}`;
}

function closeH2(server: Http2Server | Http2SecureServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The HTTP/2 hosts: Node's http2 compatibility API under `service.node`, koa and fastify. */
const HOSTS: Record<string, (tls: Tls | undefined) => Promise<H2Host>> = {
  async 'node:http2'(tls) {
    const { service: svc, logs } = service();
    const hostErrors: unknown[] = [];
    const listener = (req: Http2ServerRequest, res: Http2ServerResponse) => {
      svc.node(req, res, (error) => {
        hostErrors.push(error ?? new Error(`not a flowllm path: ${req.url}`));
        res.writeHead(500).end();
      });
    };
    const server = tls ? createSecureServer({ ...tls }, listener) : createServer(listener);
    const url = await listenH2(server, Boolean(tls));
    return { url, service: svc, logs, hostErrors, close: () => closeH2(server) };
  },
  async koa(tls) {
    const { service: svc, logs } = service();
    const hostErrors: unknown[] = [];
    const app = new Koa();
    app.on('error', (error) => hostErrors.push(error));
    app.use(flowllmKoa(svc));
    const callback = app.callback() as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void;
    const server = tls ? createSecureServer({ ...tls }, callback) : createServer(callback);
    const url = await listenH2(server, Boolean(tls));
    return { url, service: svc, logs, hostErrors, close: () => closeH2(server) };
  },
  async fastify(tls) {
    const { service: svc, logs } = service();
    const hostErrors: unknown[] = [];
    const logger = { level: 'warn', stream: { write: (line: string) => void hostErrors.push(line) } };
    // One type for both: fastify types h2 and h2c instances apart, the plugin works on either.
    const fastify = (tls
      ? Fastify({ http2: true, https: { ...tls }, logger })
      : Fastify({ http2: true, logger })) as unknown as FastifyInstance;
    await fastify.register(flowllmFastify, { config: svc });
    await fastify.listen({ port: 0, host: HOST });
    const { port } = fastify.server.address() as AddressInfo;
    return {
      url: `${tls ? 'https' : 'http'}://${HOST}:${port}`,
      service: svc,
      logs,
      hostErrors,
      close: () => fastify.close(),
    };
  },
};

describe(`HTTP/2: ${sessions} sessions × ${streams} concurrent streams × ${chunks} chunks, h2 (TLS) and h2c`, () => {
  let tls: Tls;
  beforeAll(() => {
    tls = selfSignedCert();
  });
  afterAll(() => expect(unhandledRejections).toEqual([]));

  for (const [name, start] of Object.entries(HOSTS)) {
    for (const secure of [true, false]) {
      const mode = secure ? 'h2' : 'h2c';
      it(`[${name} ${mode}] every stream intact, no forbidden header`, async () => {
        const host = await start(secure ? tls : undefined);
        const clients = Array.from({ length: sessions }, () => {
          const session = connect(host.url, secure ? { ca: tls.cert } : {});
          session.on('error', () => {});
          return session;
        });
        try {
          const started = performance.now();
          const tallies = await Promise.all(
            clients.flatMap((session, s) =>
              Array.from({ length: streams }, (_, i) => {
                const tag = `${mode}-${s}-${i}`;
                return h2SeqStream(session, '/seq', { tag, count: chunks, timeoutMs: 30_000 }).then(
                  (tally) => ({ tag, tally }),
                );
              }),
            ),
          );
          const ms = Math.round(performance.now() - started);
          const bad = tallies.filter(
            ({ tally }) =>
              tally.status !== 200 ||
              !tally.done ||
              !tally.complete ||
              tally.inOrder !== chunks ||
              tally.lost + tally.duplicated + tally.reordered + tally.foreign + tally.errors.length > 0,
          );
          expect(bad.slice(0, 3).map(({ tag, tally }) => describeTally(tag, tally))).toEqual([]);
          const forbidden = tallies.flatMap(({ tally }) =>
            FORBIDDEN_HEADERS.filter((header) => tally.responseHeaders[header] !== undefined),
          );
          expect(forbidden).toEqual([]);
          for (const { tally } of tallies) {
            expect(tally.responseHeaders['content-type']).toMatch(/^text\/event-stream/);
            expect(tally.responseHeaders['x-accel-buffering']).toBe('no');
          }
          await waitFor(() => host.service.openStreamCount === 0, HANG_MS, 'every stream pump to finish');
          expect(host.logs).toEqual([]);
          expect(host.hostErrors).toEqual([]);
          const delivered = tallies.reduce((total, { tally }) => total + tally.inOrder, 0);
          console.log(`[${name} ${mode}] ${tallies.length} streams, ${delivered} chunks intact in ${ms} ms`);
          record('http2', `${name} ${mode}`, {
            streams: tallies.length,
            chunks: delivered,
            lost: tallies.reduce((total, { tally }) => total + tally.lost, 0),
            forbiddenHeaders: forbidden.length,
            ms,
          });
        } finally {
          for (const session of clients) session.destroy();
          await host.close();
        }
      });
    }
  }
});
