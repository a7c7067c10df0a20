import { parseFlowEvent, readSseEvents, type SseEvent } from '@flowllm/core/sse';
import { describe, expect, it } from 'vitest';
import { FLOW_ID, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows, sleep } from '../util.js';

const config = {
  flow: flows({
    talk: {
      flow_content: 'StreamChatOp()',
      stream: true,
      input_schema: {
        query: { type: 'string', description: 'q', required: true },
        top_k: { type: 'integer', description: 'k', required: false },
      },
    },
  }),
  llm: { default: { backend: 'mock', think: 'Hmm', answer: 'Hello {input}' } },
};

/** The GET (EventSource) variant of stream flows. */
export function eventSourceCases(ctx: SuiteContext): void {
  describe('EventSource variant (GET)', () => {
    it('numbers events with id: and ends with event:done + data:[DONE]', async () => {
      const { url } = await ctx.start(config);
      const response = await fetch(`${url}/talk?query=hi&top_k=3`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events: SseEvent[] = [];
      for await (const event of readSseEvents(response.body!)) events.push(event);
      expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4']);
      const last = events.at(-1)!;
      expect(last.event).toBe('done');
      expect(last.data).toBe('[DONE]');
      expect(parseFlowEvent(last.data)).toEqual({ done: true });
      const chunks = events.slice(0, -1).map((event) => {
        expect(event.event).toBeUndefined();
        const parsed = parseFlowEvent(event.data);
        if (!parsed || parsed.done) throw new Error(`not a chunk: ${event.data}`);
        return parsed.chunk;
      });
      const flowId = chunks[0]!.flow_id;
      expect(flowId).toMatch(FLOW_ID);
      expect(chunks).toEqual([
        { flow_id: flowId, chunk_type: 'think', chunk: 'Hmm', done: false, metadata: {} },
        { flow_id: flowId, chunk_type: 'answer', chunk: 'Hello', done: false, metadata: {} },
        { flow_id: flowId, chunk_type: 'answer', chunk: ' hi', done: false, metadata: {} },
      ]);
    });

    it('frames the end exactly as event:done\\ndata:[DONE]\\n\\n', async () => {
      const { url } = await ctx.start(config);
      const reply = await send(url, '/talk?query=hi');
      expect(reply.status).toBe(200);
      expect(reply.body.endsWith('\n\nid:4\nevent:done\ndata:[DONE]\n\n')).toBe(true);
      expect(reply.body.startsWith('id:1\ndata:{')).toBe(true);
    });

    it('validates query-string fields like a body: a missing required field is 422 at ["query","query"]', async () => {
      const { url, llm } = await ctx.start(config);
      const reply = await send(url, '/talk?top_k=3');
      expect(reply.status).toBe(422);
      expect(reply.body).toBe(
        '{"detail":[{"type":"missing","loc":["query","query"],"msg":"Field required","input":null}]}',
      );
      expect(llm().stats.started).toBe(0);
    });

    it('an integer field that does not parse is 422 int_parsing; "3" is an integer, as in pydantic', async () => {
      const { url } = await ctx.start(config);
      const reply = await send(url, '/talk?query=hi&top_k=abc');
      expect(reply.status).toBe(422);
      expect(JSON.parse(reply.body)).toEqual({
        detail: [
          {
            type: 'int_parsing',
            loc: ['query', 'top_k'],
            msg: 'Input should be a valid integer, unable to parse string as an integer',
            input: 'abc',
          },
        ],
      });
      expect((await send(url, '/talk?query=hi&top_k=3')).status).toBe(200);
    });

    it('a reconnect with Last-Event-ID gets 204 and never starts the flow', async () => {
      const { url, llm } = await ctx.start(config);
      const reply = await send(url, '/talk?query=hi', { headers: { 'last-event-id': '4' } });
      expect(reply.status).toBe(204);
      expect(reply.body).toBe('');
      // RFC 9110 §8.6: no Content-Length on a 204.
      expect(reply.headers['content-length']).toBeUndefined();
      await sleep(50);
      expect(llm().stats.started).toBe(0);
    });

    it('the POST framing stays FlowLLM’s: no id: or event: lines', async () => {
      const { url } = await ctx.start(config);
      const response = await fetch(`${url}/talk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'hi' }),
      });
      const body = await response.text();
      expect(body).not.toMatch(/^(id|event):/m);
      expect(body.endsWith('\n\ndata:[DONE]\n\n')).toBe(true);
    });
  });
}
