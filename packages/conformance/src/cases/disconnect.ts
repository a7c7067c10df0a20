import { describe, expect, it } from 'vitest';
import { openStream } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { probe } from '../ops.js';
import { flows, HANG_MS, sleep, waitFor } from '../util.js';

const longAnswer = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');

const config = {
  flow: flows({
    talk: { flow_content: 'StreamChatOp()', stream: true },
    talk_get: { flow_content: 'StreamChatOp()', stream: true },
    slow_start: { flow_content: 'SleepOp(ms=60000) >> StreamChatOp()', stream: true },
    sync_chat: 'ChatOp()',
  }),
  llm: { default: { backend: 'mock', answer: longAnswer, token_delay_ms: 30 } },
};

/** A client that leaves aborts the flow and the model. */
export function disconnectCases(ctx: SuiteContext): void {
  describe('client disconnect', () => {
    // The model has 9 s of tokens left, so an abort (not a completion) can only come from the disconnect.
    it('aborts the flow and the model stream, and logs nothing', async () => {
      const { url, llm, logs, service, hostErrors } = await ctx.start(config);
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      await client.waitForText((text) => text.includes('data:{'));
      const stats = llm().stats;
      expect(stats.active).toBe(1);
      const disconnectAt = performance.now();
      client.destroy();
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
      const elapsed = stats.lastAbortAt! - disconnectAt;
      console.log(`${ctx.tag} disconnect → model abort: ${elapsed.toFixed(2)} ms`);
      expect(elapsed).toBeGreaterThanOrEqual(0);
      expect(stats.active).toBe(0);
      expect(stats.completed).toBe(0);
      await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the stream pump to finish');
      await sleep(50);
      expect(logs).toEqual([]);
      // Nothing reached the host's error handling (express next(err), koa app.on('error'), …).
      expect(hostErrors).toEqual([]);
    });

    it('aborts an EventSource (GET) stream when the client leaves', async () => {
      const { url, llm, logs, hostErrors } = await ctx.start(config);
      const client = openStream(url, '/talk_get?query=hi', { method: 'GET' });
      await client.waitForText((text) => text.includes('data:{'));
      const disconnectAt = performance.now();
      client.destroy();
      const stats = llm().stats;
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
      expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(disconnectAt);
      expect(stats.active).toBe(0);
      expect(stats.completed).toBe(0);
      await sleep(50);
      expect(logs).toEqual([]);
      // Nothing reached the host's error handling (express next(err), koa app.on('error'), …).
      expect(hostErrors).toEqual([]);
    });

    it('aborts a flow whose client leaves before the response started', async () => {
      const { url, llm, logs, hostErrors } = await ctx.start({ ...config, http: { status_wait: 10 } });
      const client = openStream(url, '/slow_start', { body: { query: 'hi' } });
      await waitFor(() => probe.sleeping, HANG_MS, 'the flow to start');
      expect(client.responseAt).toBeUndefined();
      const disconnectAt = performance.now();
      client.destroy();
      // SleepOp sleeps a minute: only the disconnect can end it now.
      await waitFor(() => probe.abortedAt !== undefined, HANG_MS, 'the op to see the abort');
      expect(probe.abortedAt!).toBeGreaterThanOrEqual(disconnectAt);
      await sleep(50);
      expect(llm().stats.started).toBe(0);
      expect(logs).toEqual([]);
      // Nothing reached the host's error handling (express next(err), koa app.on('error'), …).
      expect(hostErrors).toEqual([]);
    });

    it('aborts a sync flow whose client leaves before the answer', async () => {
      const { url, llm, logs, hostErrors } = await ctx.start(config);
      const client = openStream(url, '/sync_chat', { body: { query: 'hi' } });
      const stats = llm().stats;
      await waitFor(() => stats.active === 1, HANG_MS, 'the model to start');
      const disconnectAt = performance.now();
      client.destroy();
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model call to be aborted');
      expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(disconnectAt);
      expect(stats.completed).toBe(0);
      await sleep(50);
      expect(logs).toEqual([]);
      // Nothing reached the host's error handling (express next(err), koa app.on('error'), …).
      expect(hostErrors).toEqual([]);
    });
  });
}
