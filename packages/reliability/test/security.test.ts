import { MASKED_ERROR } from '@flowllm/conformance';
import { ConfigError, createFlowApp } from '@flowllm/core';
import { startOpenAiUpstream } from '@flowllm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchText, streamEvents } from '../src/http-client.js';
import { mib, settledMemory } from '../src/memory.js';
import { LEAKY_PATH, LEAKY_SECRET, reliabilityOps } from '../src/ops.js';
import { rawRequest, requestBytes } from '../src/raw-http.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { TARGETS } from '../src/targets.js';

const UPSTREAM_KEY = 'sk-reliability-security-0123456789';
const LEAKS = [
  LEAKY_SECRET,
  LEAKY_PATH,
  'ENOENT',
  UPSTREAM_KEY,
  UPSTREAM_KEY.slice(-8),
  '/work/',
  'node_modules',
];
const STACK = /\n\s+at \S/;

const GOOD = 'https://app.good.example';
const EVIL = 'https://evil.example';

describe('security basics', () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  for (const target of TARGETS) {
    it(`[${target.name}] errors are masked: no stack, path or key in any answer (and the log has the real error)`, async () => {
      const upstream = await startOpenAiUpstream([
        { status: 400, message: `invalid request for key ${UPSTREAM_KEY}` },
      ]);
      const server = await target.start({
        config: {
          llm: {
            default: {
              backend: 'openai_compatible',
              model_name: 'gpt-test',
              base_url: upstream.url,
              api_key: UPSTREAM_KEY,
              max_retries: 0,
            },
          },
          flow: {
            before: { flow_content: 'LeakyFailOp()', stream: true },
            after: { flow_content: 'LeakyFailOp(stream_first=True)', stream: true },
            sync: { flow_content: 'LeakyFailOp()' },
            model: { flow_content: 'StreamChatOp()', stream: true },
          },
        },
      });
      try {
        const ask = (path: string, method = 'POST') =>
          fetchText(`${server.url}${path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            body: method === 'POST' ? '{"query":"hi"}' : undefined,
            timeoutMs: 10_000,
          });
        const replies = {
          before: await ask('/before'),
          after: await ask('/after'),
          sync: await ask('/sync'),
          get: await ask('/before?query=hi', 'GET'),
          model: await ask('/model'),
        };
        for (const [name, reply] of Object.entries(replies)) {
          for (const leak of LEAKS) expect(reply.body, `${name} leaks ${leak}`).not.toContain(leak);
          expect(reply.body, `${name} has a stack trace`).not.toMatch(STACK);
        }
        // Before the first chunk: a real status with the masked text and the flow id to look up.
        expect(replies.before.status).toBe(500);
        const before = JSON.parse(replies.before.body) as { detail: string; flow_id: string };
        expect(before.detail).toBe(MASKED_ERROR);
        expect(replies.sync.status).toBe(500);
        expect(JSON.parse(replies.sync.body).detail).toBe(MASKED_ERROR);
        // After it: an error chunk with the masked text, then [DONE].
        const events = streamEvents(replies.after.body);
        expect(events.map((e) => e.chunk?.chunk ?? e.data)).toEqual(['partial', MASKED_ERROR, '[DONE]']);
        // A provider's refusal names provider, model, HTTP status and its code; its message (which can
        // echo the prompt) goes to the log only, with the key redacted.
        expect(replies.model.status).toBe(502);
        expect(replies.model.body).toContain('(HTTP 400) (error code: invalid_request_error)');
        expect(replies.model.body).not.toContain('invalid request for key');
        expect(JSON.stringify(server.logs)).toContain('invalid request for key [redacted]');
        // The server log keeps what the client did not see, under the same flow id.
        const logged = server.logs.find(
          (line) => (line.details as { flow_id?: string } | undefined)?.flow_id === before.flow_id,
        );
        expect(logged?.message).toContain(LEAKY_SECRET);
        expect(JSON.stringify(server.logs)).not.toContain(UPSTREAM_KEY);
      } finally {
        await server.close();
        await upstream.close();
      }
    });

    it(`[${target.name}] CORS restricted to the configured origin`, async () => {
      const server = await target.start({
        config: {
          http: { cors: { allow_origins: [GOOD], allow_credentials: false, allow_methods: ['POST'] } },
          flow: { seq: { flow_content: 'SeqStreamOp(count=2)', stream: true } },
        },
      });
      try {
        const request = (method: string, origin: string) =>
          fetchText(`${server.url}/seq`, {
            method,
            headers:
              method === 'OPTIONS'
                ? {
                    origin,
                    'access-control-request-method': 'POST',
                    'access-control-request-headers': 'content-type',
                  }
                : { origin, 'content-type': 'application/json' },
            body: method === 'POST' ? '{"query":"x"}' : undefined,
            timeoutMs: 5000,
          });
        const corsHeaders = (headers: Record<string, unknown>) =>
          Object.keys(headers).filter((name) => name.startsWith('access-control-'));
        // Another origin's request never runs the flow (a preflight does not guard every request).
        const evil = await request('POST', EVIL);
        expect(evil.status).toBe(403);
        expect(corsHeaders(evil.headers)).toEqual([]);
        const evilPreflight = await request('OPTIONS', EVIL);
        expect(evilPreflight.status).toBe(400);
        expect(corsHeaders(evilPreflight.headers)).toEqual([]);
        const good = await request('POST', GOOD);
        expect(good.headers['access-control-allow-origin']).toBe(GOOD);
        const goodPreflight = await request('OPTIONS', GOOD);
        expect(goodPreflight.status).toBe(204);
        expect(goodPreflight.headers['access-control-allow-origin']).toBe(GOOD);
        expect(goodPreflight.headers['access-control-allow-methods']).toBe('POST');
      } finally {
        await server.close();
      }
    });

    it(`[${target.name}] a ${mib(SIZE.hugeBody)} MiB body is refused before it is read, with no memory growth`, async () => {
      const server = await target.start({
        config: { flow: { seq: { flow_content: 'SeqStreamOp(count=2)', stream: true } } },
      });
      const port = Number(new URL(server.url).port);
      try {
        const before = await settledMemory();
        const slowBody = { size: SIZE.hugeBody, piece: 64 * 1024, everyMs: 2 };
        // Content-Length says 100 MiB: 413 at once, while the client is still sending.
        const declared = await rawRequest(
          port,
          requestBytes([
            'POST /seq HTTP/1.1',
            'Host: 127.0.0.1',
            'Content-Type: application/json',
            `Content-Length: ${SIZE.hugeBody}`,
          ]),
          { slowBody, timeoutMs: 20_000 },
        );
        // Chunked, no length: 413 as soon as the body passes 1 MiB.
        const chunked = await rawRequest(
          port,
          requestBytes([
            'POST /seq HTTP/1.1',
            'Host: 127.0.0.1',
            'Content-Type: application/json',
            'Transfer-Encoding: chunked',
          ]),
          { slowBody: { ...slowBody, chunked: true }, timeoutMs: 20_000 },
        );
        const after = await settledMemory();
        for (const [name, reply] of Object.entries({ declared, chunked })) {
          expect(reply.status, name).toBe(413);
          expect(reply.body).toContain('larger than the limit');
        }
        expect(declared.bytesSentAtHead, 'sent before the 413 (Content-Length)').toBeLessThan(
          4 * 1024 * 1024,
        );
        expect(chunked.bytesSentAtHead, 'sent before the 413 (chunked)').toBeLessThan(8 * 1024 * 1024);
        const heapGrowth = after.heapUsed - before.heapUsed;
        const rssGrowth = after.rss - before.rss;
        expect(heapGrowth, 'heap growth').toBeLessThan(16 * 1024 * 1024);
        expect(rssGrowth, 'rss growth').toBeLessThan(32 * 1024 * 1024);
        console.log(
          `[${target.name}] 100 MiB body: 413 after ${Math.round(declared.ms)} ms / ${mib(declared.bytesSentAtHead)} MiB sent (Content-Length), ${Math.round(chunked.ms)} ms / ${mib(chunked.bytesSentAtHead)} MiB (chunked); heap ${mib(heapGrowth)} MiB, rss ${mib(rssGrowth)} MiB`,
        );
        record('security', `body-limit ${target.name}`, {
          claimedBytes: SIZE.hugeBody,
          declaredMs: Math.round(declared.ms),
          declaredSentMiB: mib(declared.bytesSentAtHead),
          chunkedMs: Math.round(chunked.ms),
          chunkedSentMiB: mib(chunked.bytesSentAtHead),
          heapGrowthMiB: mib(heapGrowth),
          rssGrowthMiB: mib(rssGrowth),
        });
      } finally {
        await server.close();
      }
    });
  }

  it('flow_content reaches registered ops only: everything else is refused at start-up', () => {
    const attempts = [
      '__proto__()',
      'constructor()',
      'prototype()',
      'toString()',
      'hasOwnProperty()',
      '__defineGetter__()',
      'Object()',
      'BaseOp()',
      'globalThis.process',
      'process.exit()',
      "require('fs')",
      'import("fs")',
      'eval("1")',
      'Function("return process")()',
      'ChatOp.constructor("return process")()',
      'ChatOp().__proto__',
      'x = ChatOp()\nx.__proto__.polluted = ChatOp()\nx',
      'ChatOp()()',
      'ChatOp()[0]',
      '(lambda: 1)()',
      'ChatOp(x=__import__("os"))',
      'ChatOp(llm=globalThis)',
      'ChatOp(**{"a": 1})',
      'ChatOp(__proto__={"polluted": 1})',
      'ChatOp(constructor={"prototype": {"polluted": 1}})',
      'ChatOp(params={"__proto__": {"polluted": 1}})',
      'ChatOp(prototype=1)',
    ];
    const refused: string[] = [];
    for (const source of attempts) {
      try {
        createFlowApp({ config: { flow: { f: { flow_content: source } } }, env: {}, ops: reliabilityOps });
      } catch (error) {
        expect(error, source).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain('flow.f.flow_content');
        refused.push(source);
        continue;
      }
      expect.fail(`flow_content ${JSON.stringify(source)} was accepted`);
    }
    expect(refused).toHaveLength(attempts.length);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    record('security', 'expressions', { refused: refused.length, attempts: refused });
  });
});
