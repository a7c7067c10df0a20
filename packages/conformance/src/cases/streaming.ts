import { describe, expect, it } from 'vitest';
import { DONE, FLOW_ID, firstFlowId, frame, openStream, postJson, streamBody } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows, settles } from '../util.js';

const talk = (llm: Record<string, unknown>, http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true } }),
  llm: { default: { backend: 'mock', ...llm } },
});

const PING = ': ping\n\n';

/** FlowLLM's framing byte for byte, headers, incremental arrival, heartbeats. */
export function streamingCases(ctx: SuiteContext): void {
  describe('streaming', () => {
    it('frames a stream byte for byte like FlowLLM, ending with data:[DONE], with a new 32-hex flow_id per request', async () => {
      const { url } = await ctx.start(talk({ think: 'Let me see', answer: 'Hello {input}!' }));
      const first = await postJson(url, '/talk', { query: 'hi' });
      expect(first.status).toBe(200);
      const flowId = firstFlowId(first.body);
      expect(flowId).toMatch(FLOW_ID);
      expect(first.body).toBe(
        streamBody(flowId, [
          ['think', 'Let'],
          ['think', ' me'],
          ['think', ' see'],
          ['answer', 'Hello'],
          ['answer', ' hi'],
          ['answer', '!'],
        ]),
      );
      const second = await postJson(url, '/talk', { query: 'hi' });
      const secondId = firstFlowId(second.body);
      expect(secondId).toMatch(FLOW_ID);
      expect(secondId).not.toBe(flowId);
      expect(second.body).toBe(first.body.replaceAll(flowId, secondId));
    });

    it('sends the SSE headers: text/event-stream, no-cache + no-transform, x-accel-buffering: no', async () => {
      const { url } = await ctx.start(talk({ answer: 'ok' }));
      const reply = await postJson(url, '/talk', { query: 'hi' });
      expect(reply.headers['content-type']).toMatch(/^text\/event-stream(;\s*charset=utf-8)?$/i);
      const cacheControl = reply.headers['cache-control'] ?? '';
      expect(cacheControl).toContain('no-cache');
      expect(cacheControl).toContain('no-transform');
      expect(reply.headers['x-accel-buffering']).toBe('no');
      expect(reply.headers['content-length']).toBeUndefined();
    });

    it('puts the headers on the wire before the first token', async () => {
      // The first token is a minute away: headers that arrive at all came before it.
      const { url, llm } = await ctx.start(talk({ answer: 'late', first_token_delay_ms: 60_000 }));
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      const res = await settles(client.response, 'the response headers');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(llm().stats).toMatchObject({ active: 1, completed: 0 });
      expect(client.pieces).toEqual([]);
      client.destroy();
    });

    it('incremental arrival: the client holds the first chunk before the model produced the last', async () => {
      const answer = 'a b c d e f g h i j';
      const { url, llm } = await ctx.start(talk({ answer, token_delay_ms: 100 }));
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      await client.waitForText((text) => text.includes('"chunk":"a"'));
      // The model is still producing: 9 tokens × 100 ms are left.
      const stats = llm().stats;
      expect(stats.active).toBe(1);
      expect(stats.completed).toBe(0);
      await client.ended;
      expect(stats.completed).toBe(1);
      const flowId = firstFlowId(client.text());
      expect(client.text()).toBe(
        streamBody(
          flowId,
          answer.split(' ').map((letter, i): [string, string] => ['answer', i === 0 ? letter : ` ${letter}`]),
        ),
      );
    });

    it('sends ": ping" heartbeats while the flow is idle', async () => {
      const { url } = await ctx.start(
        // ~20 heartbeats are due before the token; a stalled event loop still lets 2 through.
        talk({ answer: 'pong', first_token_delay_ms: 1000 }, { heartbeat: 0.05 }),
      );
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      await client.ended;
      const body = client.text();
      const beforeData = body.slice(0, body.indexOf('data:'));
      expect(beforeData.split(PING).length - 1).toBeGreaterThanOrEqual(2);
      expect(beforeData.replaceAll(PING, '')).toBe('');
      const flowId = firstFlowId(body);
      expect(body.replaceAll(PING, '')).toBe(frame(flowId, 'answer', 'pong') + DONE);
    });

    it('sends no heartbeat with http.heartbeat: 0', async () => {
      const { url } = await ctx.start(talk({ answer: 'pong', first_token_delay_ms: 250 }, { heartbeat: 0 }));
      const client = openStream(url, '/talk', { body: { query: 'hi' } });
      await client.ended;
      expect(
        client
          .text()
          .split('\n')
          .filter((line) => line.startsWith(':')),
      ).toEqual([]);
      expect(client.text()).toBe(frame(firstFlowId(client.text()), 'answer', 'pong') + DONE);
    });
  });
}
