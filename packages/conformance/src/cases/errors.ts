import { describe, expect, it } from 'vitest';
import {
  DONE,
  dataLines,
  FLOW_ID,
  firstFlowId,
  frame,
  MASKED_ERROR,
  openStream,
  postJson,
} from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows, HANG_MS, waitFor } from '../util.js';

const stream = (flowContent: string, extra: Record<string, unknown> = {}) => ({
  flow_content: flowContent,
  stream: true,
  ...extra,
});

const config = (http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({
    broken: stream('StreamChatOp(llm="broken")'),
    secret: stream('SecretFailOp(stream_first=True)'),
    secret_early: stream('SecretFailOp()'),
    unreachable: stream('StreamChatOp(llm="down")'),
    slow_op: stream('SleepOp(ms=5000) >> StreamChatOp()', { timeout: 0.2 }),
    slow_model: stream('StreamChatOp(llm="sleepy")', { timeout: 0.2 }),
    late_failure: stream('SleepOp(ms=400) >> SecretFailOp()'),
    tolerated: stream('SecretFailOp(raise_exception=False) >> ProbeStreamOp(count=1)'),
    sync_fail: 'SecretFailOp()',
    sync_down: 'ChatOp(llm="down")',
  }),
  llm: {
    default: { backend: 'mock', answer: 'fine' },
    broken: { backend: 'mock', answer: 'one two three four', error: 'boom', error_after: 2 },
    down: { backend: 'mock', connect_error: 'unreachable' },
    sleepy: { backend: 'mock', answer: 'late', first_token_delay_ms: 5000 },
  },
});

/** `{detail, flow_id}` with exactly those keys and a 32-hex flow_id. */
function failureBody(body: string): { detail: string; flow_id: string } {
  const parsed = JSON.parse(body) as { detail: string; flow_id: string };
  expect(Object.keys(parsed)).toEqual(['detail', 'flow_id']);
  expect(parsed.flow_id).toMatch(FLOW_ID);
  return parsed;
}

/** Failures before and after the stream started: status codes, error chunks, masking, logs. */
export function errorCases(ctx: SuiteContext): void {
  describe('errors', () => {
    it('a model failure after two chunks ends with an error chunk (done: true) and data:[DONE]', async () => {
      const { url } = await ctx.start(config());
      const reply = await postJson(url, '/broken', { query: 'hi' });
      expect(reply.status).toBe(200);
      const flowId = firstFlowId(reply.body);
      const message = JSON.parse(dataLines(reply.body)[2]!).chunk as string;
      expect(message).toContain('boom');
      expect(reply.body).toBe(
        frame(flowId, 'answer', 'one') +
          frame(flowId, 'answer', ' two') +
          frame(flowId, 'error', message, { done: true }) +
          DONE,
      );
    });

    it('masks an unexpected error after streaming began, and logs the real message', async () => {
      const { url, logs } = await ctx.start(config());
      const reply = await postJson(url, '/secret', { query: 'hi' });
      expect(reply.status).toBe(200);
      const flowId = firstFlowId(reply.body);
      expect(reply.body).toBe(
        frame(flowId, 'answer', 'partial') + frame(flowId, 'error', MASKED_ERROR, { done: true }) + DONE,
      );
      expect(reply.body).not.toContain('secret internals');
      const logged = logs.filter((line) => line.message.includes('secret internals'));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.level).toBe('error');
      expect(logged[0]!.details?.flow_id).toBe(flowId);
    });

    it('masks an error an op reports without failing the flow (raise_exception=False)', async () => {
      const { url, logs } = await ctx.start(config());
      const reply = await postJson(url, '/tolerated', { query: 'hi' });
      expect(reply.status).toBe(200);
      const flowId = firstFlowId(reply.body);
      const reported = {
        flow_id: flowId,
        chunk_type: 'error',
        chunk: MASKED_ERROR,
        done: false,
        metadata: { op: 'SecretFailOp' },
      };
      expect(reply.body).toBe(`data:${JSON.stringify(reported)}\n\n${frame(flowId, 'answer', '0:')}${DONE}`);
      expect(
        logs.filter((line) => line.message.includes('secret internals')).map((line) => line.level),
      ).toEqual(['warn']);
    });

    it('shows the real message with http.expose_errors: true', async () => {
      const { url } = await ctx.start(config({ expose_errors: true }));
      const reply = await postJson(url, '/secret', { query: 'hi' });
      const flowId = firstFlowId(reply.body);
      const message = JSON.parse(dataLines(reply.body)[1]!).chunk as string;
      expect(message).toContain('secret internals');
      expect(reply.body).toBe(
        frame(flowId, 'answer', 'partial') + frame(flowId, 'error', message, { done: true }) + DONE,
      );
      const early = await postJson(url, '/secret_early', { query: 'hi' });
      expect(early.status).toBe(500);
      expect(failureBody(early.body).detail).toContain('secret internals');
    });

    it('a model unreachable at connect answers 502 with a JSON body', async () => {
      const { url, llm } = await ctx.start(config());
      const reply = await postJson(url, '/unreachable', { query: 'hi' });
      expect(reply.status).toBe(502);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(failureBody(reply.body).detail).toContain('unreachable');
      expect(llm('down').stats.failed).toBe(1);
    });

    it('a stream flow whose first op throws answers 500 with the masked detail', async () => {
      const { url, logs } = await ctx.start(config());
      const reply = await postJson(url, '/secret_early', { query: 'hi' });
      expect(reply.status).toBe(500);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const body = failureBody(reply.body);
      expect(body.detail).toBe(MASKED_ERROR);
      const logged = logs.filter((line) => line.message.includes('secret internals'));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.details?.flow_id).toBe(body.flow_id);
    });

    // Had status_wait (1 s) run out first, the answer would be a 200 stream; had SleepOp (5 s) ended
    // first, the model would have answered: a 504 can only come from the 0.2 s flow timeout.
    it('a timeout before any sign of life answers 504 before status_wait runs out', async () => {
      const { url } = await ctx.start(config());
      const started = performance.now();
      const reply = await postJson(url, '/slow_op', { query: 'hi' });
      expect(reply.status).toBe(504);
      expect(failureBody(reply.body).detail).toMatch(/timed out after 0\.2s/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    });

    it('a timeout after the model connected (headers sent) ends the stream with an error chunk', async () => {
      const { url, llm } = await ctx.start(config());
      const client = openStream(url, '/slow_model', { body: { query: 'hi' } });
      // 200, not 504: the headers went out when the model connected, before the timeout.
      expect((await client.response).statusCode).toBe(200);
      await client.ended;
      expect(client.complete).toBe(true);
      const body = client.text();
      const [error] = dataLines(body);
      const chunk = JSON.parse(error!) as { flow_id: string; chunk: string };
      expect(chunk.chunk).toMatch(/timed out after 0\.2s/);
      // The timeout ended it: the model's first token (5 s away) never came.
      expect(body).toBe(frame(chunk.flow_id, 'error', chunk.chunk, { done: true }) + DONE);
      await waitFor(() => llm('sleepy').stats.active === 0, HANG_MS, 'the model to stop');
      expect(llm('sleepy').stats.completed).toBe(0);
    });

    it('a failure after status_wait ran out is an error chunk on the 200 stream', async () => {
      const { url } = await ctx.start(config({ status_wait: 0.15 }));
      const client = openStream(url, '/late_failure', { body: { query: 'hi' } });
      // 200, not 500: the headers went out when status_wait (0.15 s) ran out, before the failure (0.4 s).
      const res = await client.response;
      expect(res.statusCode).toBe(200);
      await client.ended;
      const flowId = firstFlowId(client.text());
      expect(client.text()).toBe(frame(flowId, 'error', MASKED_ERROR, { done: true }) + DONE);
    });

    it('a sync flow failure answers 500 {"detail", "flow_id"} (masked)', async () => {
      const { url, logs } = await ctx.start(config());
      const reply = await postJson(url, '/sync_fail', { query: 'hi' });
      expect(reply.status).toBe(500);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const body = failureBody(reply.body);
      expect(body.detail).toBe(MASKED_ERROR);
      expect(logs.some((line) => line.message.includes('secret internals'))).toBe(true);
    });

    it('a sync flow whose model is unreachable answers 502 with the model error', async () => {
      const { url } = await ctx.start(config());
      const reply = await postJson(url, '/sync_down', { query: 'hi' });
      expect(reply.status).toBe(502);
      expect(failureBody(reply.body).detail).toContain('unreachable');
    });
  });
}
