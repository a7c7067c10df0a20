import { defineConfig, type FlowllmConfigInput } from '@flowllm/core';
import { describe, expect, it } from 'vitest';
import { DONE, dataLines, firstFlowId, frame, openStream, postJson } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { probe } from '../ops.js';
import { flows, HANG_MS, settles, waitFor } from '../util.js';

const slowAnswer = Array.from({ length: 200 }, (_, i) => `t${i}`).join(' ');

export const shutdownConfig = (http: FlowllmConfigInput['http'] = {}) =>
  defineConfig({
    http,
    flow: flows({
      talk: { flow_content: 'StreamChatOp()', stream: true },
      big: { flow_content: 'ProbeStreamOp(count=10000, size=2000)', stream: true },
      // A minute before the model starts: only the shutdown can end this stream in time.
      starting: { flow_content: 'SleepOp(ms=60000) >> StreamChatOp(llm="short")', stream: true },
    }),
    llm: {
      default: { backend: 'mock', answer: slowAnswer, token_delay_ms: 50 },
      // 3 s of tokens: enough to tell an ended stream from one left running.
      short: { backend: 'mock', answer: slowAnswer.split(' ').slice(0, 60).join(' '), token_delay_ms: 50 },
    },
  });

/** Checks a stream cut by shutdown: chunks so far, then the shutdown error (done: true), then [DONE]. */
export function expectShutdownEnding(body: string): void {
  const flowId = firstFlowId(body);
  const lines = dataLines(body);
  expect(lines.at(-1)).toBe('[DONE]');
  const error = JSON.parse(lines.at(-2)!) as { chunk_type: string; chunk: string; done: boolean };
  expect(error.chunk_type).toBe('error');
  expect(error.done).toBe(true);
  expect(error.chunk).toMatch(/shutting down/);
  expect(body.endsWith(frame(flowId, 'error', error.chunk, { done: true }) + DONE)).toBe(true);
}

/** `service.shutdown()`: open streams get a final event, new requests 503. */
export function shutdownCases(ctx: SuiteContext): void {
  describe('service.shutdown()', () => {
    it('ends open streams with an error event and data:[DONE], then refuses requests with 503', async () => {
      const { url, service, llm, hostErrors } = await ctx.start(shutdownConfig());
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      await client.waitForText((text) => text.includes('data:{'));
      expect(service.openStreamCount).toBe(1);
      service.shutdown();
      await client.ended;
      expect(client.complete).toBe(true);
      expectShutdownEnding(client.text());
      await waitFor(() => llm().stats.active === 0, HANG_MS, 'the model stream to stop');
      expect(llm().stats.aborted).toBe(1);
      const refused = await postJson(url, '/talk', { query: 'hi' });
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toEqual({ detail: 'the server is shutting down' });
      expect(hostErrors).toEqual([]);
    });

    it('a stream still waiting for its first sign of life is ended too (503 or the final event)', async () => {
      const { url, service, llm } = await ctx.start(shutdownConfig({ status_wait: 10 }));
      const client = openStream(url, '/starting', { body: { query: 'hi' } });
      await waitFor(() => probe.sleeping, HANG_MS, 'the flow to start');
      expect(client.responseAt).toBeUndefined();
      service.shutdown();
      await settles(client.ended, 'the stream to end');
      const res = await client.response;
      if (res.statusCode === 200) expectShutdownEnding(client.text());
      else expect(res.statusCode).toBe(503);
      expect(llm('short').stats.started).toBe(0);
    });
  });
}
