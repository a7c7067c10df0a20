import { describe, expect, it } from 'vitest';
import { openStream, postJson } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows, HANG_MS, waitFor } from '../util.js';

// A minute of tokens: only the client leaving ends one of these streams during a test.
const longAnswer = Array.from({ length: 1200 }, (_, i) => `t${i}`).join(' ');

const capConfig = {
  http: { max_streams: 2 },
  flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true } }),
  llm: { default: { backend: 'mock', answer: longAnswer, token_delay_ms: 50 } },
};

/** `http.max_streams`: beyond it a new stream gets 503 with `Retry-After`, before its flow starts. */
export function streamCapCases(ctx: SuiteContext): void {
  describe('http.max_streams', () => {
    it('refuses a stream beyond the cap with 503 + Retry-After, and accepts one again once a stream ends', async () => {
      const { url, service, llm } = await ctx.start(capConfig);
      const held = [1, 2].map(() => openStream(url, '/talk', { body: { query: 'hi' } }));
      await Promise.all(held.map((client) => client.waitForText((text) => text.includes('data:{'))));
      expect(service.streamCap.open).toBe(2);

      const refused = await postJson(url, '/talk', { query: 'hi' });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(refused.body)).toEqual({ detail: expect.stringContaining('http.max_streams is 2') });
      // Refused before the flow started: no third model call.
      expect(llm().stats.started).toBe(2);

      held[0]!.destroy();
      await waitFor(() => service.streamCap.open === 1, HANG_MS, 'the left stream to be released');
      const again = openStream(url, '/talk', { body: { query: 'hi' } });
      await again.waitForText((text) => text.includes('data:{'));
      expect(service.streamCap.open).toBe(2);
      for (const client of [held[1]!, again]) client.destroy();
      await waitFor(() => service.streamCap.open === 0, HANG_MS, 'every stream to be released');
    });
  });
}
