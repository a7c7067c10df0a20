import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  type ClientHttp2Session,
  connect,
  constants,
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFlowApp,
  createFlowService,
  defineConfig,
  type FlowllmConfigInput,
  type FlowService,
} from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_ID, firstFlowId, streamBody } from '../client.js';
import { conformanceOps } from '../ops.js';
import { flows, HANG_MS, recordingLogger, sleep, waitFor } from '../util.js';

const config = defineConfig({
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    slow: { flow_content: 'StreamChatOp(llm="slow")', stream: true },
    chat: {
      flow_content: 'ChatOp()',
      input_schema: { query: { type: 'string', description: '', required: true } },
    },
  }),
  llm: {
    default: { backend: 'mock', think: 'Hmm', answer: 'Hello {input}!' },
    slow: {
      backend: 'mock',
      answer: Array.from({ length: 200 }, (_, i) => `t${i}`).join(' '),
      token_delay_ms: 30,
    },
  },
});

const FORBIDDEN = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

/** HTTP/2 (h2c and h2 over TLS) through `service.node` on Node's http2 compatibility API. */
export function nodeHttp2Cases(): void {
  describe('HTTP/2 [node]', () => {
    let certDir: string;
    let tls: { key: Buffer; cert: Buffer };

    beforeAll(() => {
      certDir = mkdtempSync(join(tmpdir(), 'flowllm-h2-'));
      const key = join(certDir, 'key.pem');
      const cert = join(certDir, 'cert.pem');
      const args =
        'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost';
      execFileSync('openssl', [...args.split(' '), '-keyout', key, '-out', cert], { stdio: 'ignore' });
      tls = { key: readFileSync(key), cert: readFileSync(cert) };
    });

    afterAll(() => rmSync(certDir, { recursive: true, force: true }));

    interface H2Reply {
      headers: IncomingHttpHeaders;
      body: string;
    }

    function h2Request(
      session: ClientHttp2Session,
      headers: Record<string, string>,
      body?: string,
    ): Promise<H2Reply> {
      return new Promise((resolve, reject) => {
        const stream = session.request(headers, { endStream: body === undefined });
        let responseHeaders: IncomingHttpHeaders = {};
        let text = '';
        stream.setEncoding('utf8');
        stream.on('response', (h) => {
          responseHeaders = h;
        });
        stream.on('data', (part: string) => {
          text += part;
        });
        stream.on('end', () => resolve({ headers: responseHeaders, body: text }));
        stream.on('error', reject);
        if (body !== undefined) stream.end(body);
      });
    }

    const post = (session: ClientHttp2Session, path: string, value: unknown) =>
      h2Request(
        session,
        { ':method': 'POST', ':path': path, 'content-type': 'application/json' },
        JSON.stringify(value),
      );

    for (const secure of [false, true]) {
      describe(`HTTP/2 ${secure ? 'over TLS (h2)' : 'cleartext (h2c)'} [node]`, () => {
        let server: Http2Server | Http2SecureServer;
        let session: ClientHttp2Session;
        let service: FlowService;
        let logs: ReturnType<typeof recordingLogger>['lines'];
        let llm: (name?: string) => MockLlm;

        let origin: string;

        async function start(http: FlowllmConfigInput['http'] = {}): Promise<void> {
          const app = createFlowApp({ config: { ...config, http }, env: {}, ops: conformanceOps });
          const logger = recordingLogger();
          logs = logger.lines;
          llm = (name = 'default') => app.resources.llm(name) as MockLlm;
          service = createFlowService(app, { logger });
          server = secure ? createSecureServer({ ...tls }, service.node) : createServer(service.node);
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
          const { port } = server.address() as AddressInfo;
          origin = `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;
          session = connect(origin, secure ? { ca: tls.cert, rejectUnauthorized: false } : {});
          session.on('error', () => {});
        }

        afterEach(async () => {
          session?.destroy();
          await new Promise<void>((resolve) => server?.close(() => resolve()));
        });

        it('streams FlowLLM framing intact, with the SSE headers and no hop-by-hop header', async () => {
          await start();
          const reply = await post(session, '/talk', { query: 'hi' });
          expect(reply.headers[':status']).toBe(200);
          expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
          expect(reply.headers['cache-control']).toContain('no-transform');
          expect(reply.headers['x-accel-buffering']).toBe('no');
          for (const name of FORBIDDEN) expect(reply.headers[name], name).toBeUndefined();
          const flowId = firstFlowId(reply.body);
          expect(flowId).toMatch(FLOW_ID);
          expect(reply.body).toBe(
            streamBody(flowId, [
              ['think', 'Hmm'],
              ['answer', 'Hello'],
              ['answer', ' hi'],
              ['answer', '!'],
            ]),
          );
          expect(logs).toEqual([]);
        });

        it('answers sync flows, validation errors and HEAD over HTTP/2', async () => {
          await start();
          const sync = await post(session, '/chat', { query: 'hi' });
          expect(sync.headers[':status']).toBe(200);
          expect(JSON.parse(sync.body)).toMatchObject({ answer: 'Hello hi!', success: true });
          const invalid = await post(session, '/chat', {});
          expect(invalid.headers[':status']).toBe(422);
          expect(invalid.body).toBe(
            '{"detail":[{"type":"missing","loc":["body","query"],"msg":"Field required","input":{}}]}',
          );
          const head = await h2Request(session, { ':method': 'HEAD', ':path': '/talk?query=x' });
          expect(head.headers[':status']).toBe(200);
          expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
          expect(head.body).toBe('');
          for (const reply of [sync, invalid, head])
            for (const name of FORBIDDEN) expect(reply.headers[name], name).toBeUndefined();
          await sleep(50);
          expect(llm().stats.started).toBe(1);
        });

        it('with CORS restricted, a page of the same origin (by :authority) runs a flow, another gets 403', async () => {
          await start({ cors: { allow_origins: ['https://good.example'] } });
          const from = (value: string) =>
            h2Request(
              session,
              { ':method': 'POST', ':path': '/chat', 'content-type': 'application/json', origin: value },
              '{"query":"hi"}',
            );
          expect((await from('https://evil.example')).headers[':status']).toBe(403);
          expect(llm().stats.started).toBe(0);
          expect((await from(origin)).headers[':status']).toBe(200);
          expect(llm().stats.started).toBe(1);
        });

        it('a client that cancels its stream aborts the flow and the model', async () => {
          await start();
          const stream = session.request({
            ':method': 'POST',
            ':path': '/slow',
            'content-type': 'application/json',
          });
          stream.end(JSON.stringify({ query: 'hi' }));
          await new Promise<void>((resolve) => stream.once('data', () => resolve()));
          const cancelledAt = performance.now();
          stream.close(constants.NGHTTP2_CANCEL);
          const stats = llm('slow').stats;
          // 200 tokens × 30 ms are left: an abort (not a completion) can only come from the cancel.
          await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
          expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(cancelledAt);
          expect(stats.active).toBe(0);
          expect(stats.completed).toBe(0);
          await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the pump to finish');
          await sleep(50);
          expect(logs).toEqual([]);
        });
      });
    }
  });
}
