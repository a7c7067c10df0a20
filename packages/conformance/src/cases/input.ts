import { describe, expect, it } from 'vitest';
import { postJson, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows } from '../util.js';

const inputSchema = {
  query: { type: 'string', description: 'the question', required: true },
  top_k: { type: 'integer', description: 'results', required: false },
  mode: { type: 'string', description: 'how', required: false, enum: ['fast', 'deep'] },
  tags: { type: 'array', description: 'labels', required: false, items: { type: 'string' } },
} as const;

const config = (http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({
    ask: { flow_content: 'StreamChatOp()', stream: true, input_schema: inputSchema },
    ask_sync: { flow_content: 'ChatOp()', input_schema: inputSchema },
  }),
  llm: { default: { backend: 'mock', answer: 'ok' } },
});

const detail = (body: string) => (JSON.parse(body) as { detail: unknown }).detail;

/** Validation: 422 (FastAPI shape), 400, 413, 415. */
export function inputCases(ctx: SuiteContext): void {
  describe('input', () => {
    it('a missing required field answers 422 in FastAPI shape, for stream and sync flows alike', async () => {
      const { url, llm } = await ctx.start(config());
      for (const path of ['/ask', '/ask_sync']) {
        const reply = await postJson(url, path, { top_k: 3 });
        expect(reply.status, path).toBe(422);
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        // pydantic v2's item: type, loc, msg, and as input the object the field is missing from.
        expect(reply.body, path).toBe(
          '{"detail":[{"type":"missing","loc":["body","query"],"msg":"Field required","input":{"top_k":3}}]}',
        );
      }
      expect(llm().stats.started).toBe(0);
    });

    it('a wrong type answers 422 with the pydantic type name and the offending input', async () => {
      const { url } = await ctx.start(config());
      const intIssue = (type: string, msg: string, input: unknown) => [
        { type, loc: ['body', 'top_k'], msg: `Input should be a valid integer${msg}`, input },
      ];
      for (const path of ['/ask', '/ask_sync']) {
        const notString = await postJson(url, path, { query: 5 });
        expect(notString.status).toBe(422);
        expect(detail(notString.body)).toEqual([
          { type: 'string_type', loc: ['body', 'query'], msg: 'Input should be a valid string', input: 5 },
        ]);
        const cases: [unknown, unknown][] = [
          ['abc', intIssue('int_parsing', ', unable to parse string as an integer', 'abc')],
          [1.5, intIssue('int_from_float', ', got a number with a fractional part', 1.5)],
          [[1], intIssue('int_type', '', [1])],
        ];
        for (const [topK, expected] of cases) {
          const notInt = await postJson(url, path, { query: 'q', top_k: topK });
          expect(notInt.status).toBe(422);
          expect(detail(notInt.body)).toEqual(expected);
        }
        const notList = await postJson(url, path, { query: 'q', tags: 'a' });
        expect(detail(notList.body)).toEqual([
          { type: 'list_type', loc: ['body', 'tags'], msg: 'Input should be a valid list', input: 'a' },
        ]);
      }
    });

    it('an enum violation answers 422 type enum', async () => {
      const { url } = await ctx.start(config());
      for (const path of ['/ask', '/ask_sync']) {
        const reply = await postJson(url, path, { query: 'q', mode: 'slow' });
        expect(reply.status).toBe(422);
        expect(detail(reply.body)).toEqual([
          { type: 'enum', loc: ['body', 'mode'], msg: "Input should be 'fast' or 'deep'", input: 'slow' },
        ]);
      }
    });

    it('an items violation names the index in loc', async () => {
      const { url } = await ctx.start(config());
      for (const path of ['/ask', '/ask_sync']) {
        const reply = await postJson(url, path, { query: 'q', tags: ['a', 2, 'c', null] });
        expect(reply.status).toBe(422);
        expect(detail(reply.body)).toEqual([
          { type: 'string_type', loc: ['body', 'tags', 1], msg: 'Input should be a valid string', input: 2 },
          {
            type: 'string_type',
            loc: ['body', 'tags', 3],
            msg: 'Input should be a valid string',
            input: null,
          },
        ]);
      }
    });

    it('valid input passes on both kinds of flows', async () => {
      const { url } = await ctx.start(config());
      const body = { query: 'q', top_k: 2, mode: 'deep', tags: ['a'], extra: { kept: true } };
      const sync = await postJson(url, '/ask_sync', body);
      expect(sync.status).toBe(200);
      expect(JSON.parse(sync.body).answer).toBe('ok');
      const stream = await postJson(url, '/ask', body);
      expect(stream.status).toBe(200);
      expect(stream.body.endsWith('data:[DONE]\n\n')).toBe(true);
    });

    it('invalid JSON answers 400', async () => {
      const { url, llm } = await ctx.start(config());
      for (const path of ['/ask', '/ask_sync']) {
        const reply = await postJson(url, path, '{"query": "unterminated');
        expect(reply.status).toBe(400);
        expect(typeof detail(reply.body)).toBe('string');
      }
      expect(llm().stats.started).toBe(0);
    });

    it('a body over http.body_limit answers 413, with or without Content-Length', async () => {
      const { url, llm } = await ctx.start(config({ body_limit: 100 }));
      const big = JSON.stringify({ query: 'x'.repeat(200) });
      const sized = await postJson(url, '/ask', big);
      expect(sized.status).toBe(413);
      expect(detail(sized.body)).toContain('100');
      const chunked = await send(url, '/ask_sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
        chunked: true,
      });
      expect(chunked.status).toBe(413);
      const small = await postJson(url, '/ask_sync', { query: 'short' });
      expect(small.status).toBe(200);
      expect(llm().stats.started).toBe(1);
    });

    it('a body that is not JSON by Content-Type answers 415', async () => {
      const { url } = await ctx.start(config());
      const reply = await send(url, '/ask', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{"query":"hi"}',
      });
      expect(reply.status).toBe(415);
      expect(detail(reply.body)).toContain('application/json');
    });

    it('accepts JSON content types with parameters or a +json suffix', async () => {
      const { url } = await ctx.start(config());
      for (const type of [
        'application/json; charset=utf-8',
        'Application/JSON',
        'application/vnd.api+json',
      ]) {
        const reply = await send(url, '/ask_sync', {
          method: 'POST',
          headers: { 'content-type': type },
          body: '{"query":"q"}',
        });
        expect(reply.status, type).toBe(200);
      }
    });

    it('a __proto__ key answers 400', async () => {
      const { url } = await ctx.start(config());
      for (const raw of [
        '{"__proto__": {"x": 1}}',
        '{"query": "q", "metadata": {"__proto__": {"polluted": 1}}}',
      ]) {
        const reply = await postJson(url, '/ask_sync', raw);
        expect(reply.status, raw).toBe(400);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
}
