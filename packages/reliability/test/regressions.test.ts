// One focused test per product bug the suite found (each fails without its fix); RELIABILITY.md lists them.
import { request as httpRequest } from 'node:http';
import { HANG_MS } from '@flowllm/conformance';
import { ConfigError, createFlowApp } from '@flowllm/core';
import type { ServiceRequest } from '@flowllm/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { runSeqStream, sleep, waitFor } from '../src/client.js';
import { settledMemory } from '../src/memory.js';
import { reliabilityOps } from '../src/ops.js';
import { rawRequest, requestBytes } from '../src/raw-http.js';
import { unhandledRejections } from '../src/report.js';
import { fastifyTarget, fetchTarget, koaTarget, nodeHttpTarget, type RunningTarget } from '../src/targets.js';

const config = {
  flow: {
    seq: { flow_content: 'SeqStreamOp(count=5)', stream: true, input_schema: { query: { type: 'string' } } },
  },
};

const post = (path: string, body: Buffer | string, headers = ['Content-Type: application/json']) => {
  const bytes = Buffer.from(body);
  return requestBytes(
    [
      `POST ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...headers,
      `Content-Length: ${bytes.length}`,
    ],
    bytes,
  );
};

/** Sends the head and part of a body, then leaves. */
async function leaveMidBody(server: RunningTarget): Promise<void> {
  const req = httpRequest(`${server.url}/seq`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': '100' },
  });
  req.on('error', () => {});
  req.write('{"query":');
  await new Promise<void>((resolve) => req.once('socket', (socket) => socket.once('connect', resolve)));
  await sleep(30);
  req.destroy();
  await sleep(100);
}

describe('regressions: the product bugs this suite found', () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  it('fetch handler: a finished stream is garbage (its abort listener no longer pins the Request)', async () => {
    const server = await fetchTarget.start({ config });
    try {
      const streams = new Set<WeakRef<object>>();
      const handle = server.service.handle.bind(server.service);
      server.service.handle = async (request: ServiceRequest) => {
        const result = await handle(request);
        if (result && 'stream' in result) streams.add(new WeakRef(result.stream));
        return result;
      };
      for (let i = 0; i < 40; i++)
        await runSeqStream(server.url, '/seq', { tag: `gc${i}`, count: 5, timeoutMs: 5000 });
      await waitFor(() => server.sockets.size === 0, HANG_MS, 'the sockets to close');
      await settledMemory();
      const alive = [...streams].filter((ref) => ref.deref() !== undefined).length;
      expect(streams.size).toBe(40);
      // Before the fix every one of them stayed reachable from undici's request finalizer.
      expect(alive).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  it('fetch handler: a client that leaves in the middle of its body is a 400, not a logged server error', async () => {
    const server = await fetchTarget.start({ config });
    try {
      await leaveMidBody(server);
      await leaveMidBody(server);
      expect(server.logs).toEqual([]);
      expect(server.hostErrors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("koa: a client that leaves mid-body, or whose framing Node's parser refuses, never reaches app.on('error')", async () => {
    const server = await koaTarget.start({ config });
    const port = Number(new URL(server.url).port);
    try {
      await leaveMidBody(server);
      const broken = await rawRequest(
        port,
        requestBytes(
          [
            'POST /seq HTTP/1.1',
            'Host: 127.0.0.1',
            'Content-Type: application/json',
            'Transfer-Encoding: chunked',
          ],
          'zz\r\n{}\r\n0\r\n\r\n',
        ),
      );
      expect(broken.status).toBe(400);
      await sleep(50);
      expect(server.hostErrors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  for (const target of [nodeHttpTarget, fetchTarget]) {
    it(`[${target.name}] a body that is not valid UTF-8 is a 400 (not silently turned into U+FFFD)`, async () => {
      const server = await target.start({ config });
      const port = Number(new URL(server.url).port);
      try {
        const bad = Buffer.concat([
          Buffer.from('{"query":"'),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('"}'),
        ]);
        const reply = await rawRequest(port, post('/seq', bad));
        expect(reply.status).toBe(400);
        expect(JSON.parse(reply.body).detail).toBe('the body is not valid UTF-8');
        // Valid multi-byte text still passes, and so does a byte order mark's refusal stay the same on both paths.
        expect((await rawRequest(port, post('/seq', '{"query":"héllo 😀"}'))).status).toBe(200);
        expect((await rawRequest(port, post('/seq', '\uFEFF{"query":"x"}'))).status).toBe(400);
      } finally {
        await server.close();
      }
    });

    it(`[${target.name}] ?__proto__=… on the GET variant is refused like a __proto__ key in a body`, async () => {
      const server = await target.start({ config });
      const port = Number(new URL(server.url).port);
      try {
        for (const query of ['query=hi&__proto__=x', 'query=hi&__proto__=a&__proto__=b']) {
          const reply = await rawRequest(
            port,
            requestBytes([`GET /seq?${query} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']),
          );
          expect(reply.status, query).toBe(400);
          expect(reply.body).toContain("the key '__proto__' is not allowed");
        }
      } finally {
        await server.close();
      }
    });
  }

  it('a JSON body declared in another charset than UTF-8 is a 415, not misread', async () => {
    const server = await nodeHttpTarget.start({ config });
    const port = Number(new URL(server.url).port);
    try {
      for (const type of ['application/json; charset=latin1', 'application/json; charset="UTF-16"']) {
        const reply = await rawRequest(port, post('/seq', '{"query":"hi"}', [`Content-Type: ${type}`]));
        expect(reply.status, type).toBe(415);
      }
      for (const type of [
        'application/json; charset=utf-8',
        'application/json; charset="UTF8"',
        'application/json',
      ]) {
        expect(
          (await rawRequest(port, post('/seq', '{"query":"hi"}', [`Content-Type: ${type}`]))).status,
          type,
        ).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('fastify: every method the instance knows reaches the service (TRACE → 405 with Allow, as elsewhere)', async () => {
    const server = await fastifyTarget.start({ config });
    const port = Number(new URL(server.url).port);
    try {
      const reply = await rawRequest(
        port,
        requestBytes(['TRACE /seq HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', 'Content-Length: 0']),
      );
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    } finally {
      await server.close();
    }
  });

  it('flow_content cannot set a prototype through op arguments: __proto__/constructor/prototype keys fail start-up', () => {
    for (const source of [
      'ChatOp(__proto__={"polluted": 1})',
      'ChatOp(params={"__proto__": {"polluted": 1}})',
      'ChatOp(x=[{"constructor": 1}])',
      'ChatOp(prototype=1)',
    ]) {
      expect(
        () =>
          createFlowApp({ config: { flow: { f: { flow_content: source } } }, env: {}, ops: reliabilityOps }),
        source,
      ).toThrow(ConfigError);
    }
    // Ordinary keys still work.
    expect(() =>
      createFlowApp({
        config: { flow: { f: { flow_content: 'ChatOp(params={"a": {"b": 1}})' } } },
        env: {},
        ops: reliabilityOps,
      }),
    ).not.toThrow();
  });
});
