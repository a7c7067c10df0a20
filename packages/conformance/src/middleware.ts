// Cases for a host's own middleware registered before the flows: a JSON body parser (express.json(),
// @koa/bodyparser) or a compression middleware (compression(), koa-compress). An adapter's specifics
// run them on a variant of its target, with its own further cases in the same `describe`.
import { defineConfig, type FlowllmConfigInput } from '@flowllm/core';
import { describe, expect, it } from 'vitest';
import { firstFlowId, openStream, postJson, send, streamBody } from './client.js';
import { type SuiteContext, useTarget } from './harness.js';
import type { ConformanceTarget } from './types.js';
import { flows } from './util.js';

const inputSchema = {
  query: { type: 'string', description: 'the question', required: true },
  top_k: { type: 'integer', description: 'results', required: false },
} as const;

const LETTERS = 'a b c d e f g h i j';

/**
 * `ask` (streamed) and `ask_sync`, both taking `{ query, top_k? }`, on a mock model that answers ten
 * letters 30 ms apart, and `big` (10,000 chunks of 2 kB, for backpressure); `http` is the config's.
 */
export const lettersConfig = (http: FlowllmConfigInput['http'] = {}) =>
  defineConfig({
    http,
    flow: flows({
      ask: { flow_content: 'StreamChatOp()', stream: true, input_schema: inputSchema },
      ask_sync: { flow_content: 'ChatOp()', input_schema: inputSchema },
      big: { flow_content: 'ProbeStreamOp(count=10000, size=2000)', stream: true },
    }),
    llm: { default: { backend: 'mock', answer: LETTERS, token_delay_ms: 30 } },
  });

/** The whole body of a streamed `ask` of `lettersConfig`, byte for byte. */
export const letters = (flowId: string): string =>
  streamBody(
    flowId,
    LETTERS.split(' ').map((letter, i): [string, string] => ['answer', i === 0 ? letter : ` ${letter}`]),
  );

/**
 * `<parser> registered before the flows`: with `target` running a JSON body parser in front of them,
 * the flows still validate (422, 415, 413) as without one. `more` adds the target's own cases.
 */
export function bodyParserCases(
  target: ConformanceTarget,
  parser: string,
  more?: (ctx: SuiteContext) => void,
): void {
  describe(`${parser} registered before the flows`, () => {
    const ctx = useTarget(target, '');

    it(`validates the body ${parser} parsed: 422 in FastAPI shape, 200 when valid`, async () => {
      const { url, llm } = await ctx.start(lettersConfig());
      const missing = await postJson(url, '/ask_sync', { top_k: 3 });
      expect(missing.status).toBe(422);
      expect(missing.body).toBe(
        '{"detail":[{"type":"missing","loc":["body","query"],"msg":"Field required","input":{"top_k":3}}]}',
      );
      const notInt = await postJson(url, '/ask', { query: 'q', top_k: 'abc' });
      expect(notInt.status).toBe(422);
      expect(llm().stats.started).toBe(0);
      const ok = await postJson(url, '/ask_sync', { query: 'q' });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).answer).toBe(LETTERS);
    });

    it(`a body ${parser} left alone (text/plain) still gets 415, like without a parser`, async () => {
      const { url, llm } = await ctx.start(lettersConfig());
      const headers = { 'content-type': 'text/plain' };
      const reply = await send(url, '/ask', { method: 'POST', headers, body: '{"query":"hi"}' });
      expect(reply.status).toBe(415);
      expect(llm().stats.started).toBe(0);
    });

    it(`http.body_limit still applies to what ${parser} read (its own limit is larger): 413, sized or chunked`, async () => {
      const { url, llm } = await ctx.start(lettersConfig({ body_limit: 100 }));
      const big = JSON.stringify({ query: 'x'.repeat(200) });
      const headers = { 'content-type': 'application/json' };
      for (const chunked of [false, true]) {
        for (const path of ['/ask', '/ask_sync']) {
          const reply = await send(url, path, { method: 'POST', headers, body: big, chunked });
          expect(reply.status, `${path} chunked: ${chunked}`).toBe(413);
          expect(reply.body).toContain('100 bytes');
        }
      }
      // Many small values add up as well (the walk counts every value, not only strings).
      const many = JSON.stringify({ query: 'q', top_k: 1, tags: Array(60).fill(1) });
      const wide = await send(url, '/ask_sync', { method: 'POST', headers, body: many, chunked: true });
      expect(wide.status).toBe(413);
      expect(llm().stats.started).toBe(0);
      const small = await send(url, '/ask_sync', {
        method: 'POST',
        headers,
        body: '{"query":"q"}',
        chunked: true,
      });
      expect(small.status).toBe(200);
    });

    more?.(ctx);
  });
}

/**
 * `<middleware> registered before the flows`: with `target` running a compression middleware in front
 * of them, a stream asking for gzip still arrives incrementally and uncompressed. `more` adds the
 * target's own cases.
 */
export function compressionCases(
  target: ConformanceTarget,
  middleware: string,
  more?: (ctx: SuiteContext) => void,
): void {
  describe(`${middleware} registered before the flows`, () => {
    const ctx = useTarget(target, '');

    it('a stream asking for gzip still arrives incrementally and uncompressed', async () => {
      const { url, llm } = await ctx.start(lettersConfig());
      const client = openStream(url, '/ask', {
        body: { query: 'q' },
        headers: { 'accept-encoding': 'gzip' },
      });
      const res = await client.response;
      expect(res.headers['content-encoding']).toBeUndefined();
      await client.waitForText((text) => text.includes('"chunk":"a"'));
      // The first chunk is here while the model still has 9 tokens to go.
      expect(llm().stats.completed).toBe(0);
      await client.ended;
      expect(client.text()).toBe(letters(firstFlowId(client.text())));
    });

    more?.(ctx);
  });
}
