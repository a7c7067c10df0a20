import { createSseDecoder } from '@flowllm/core/sse';
import { describe, expect, it } from 'vitest';
import { openStream } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { probe } from '../ops.js';
import { flows, HANG_MS, sleep, waitFor } from '../util.js';

// 10,000 chunks of ~2 KB: ~20 MB, several times what the kernel's socket buffers can hold.
const COUNT = 10_000;
const SIZE = 2000;
// ~20 MB of mock tokens (each word is one token).
const MODEL_TOKENS = 20_000;
const bigAnswer = Array.from({ length: MODEL_TOKENS }, (_, i) => `w${i}${'x'.repeat(1000)}`).join(' ');

const config = {
  flow: flows({
    big: { flow_content: `ProbeStreamOp(count=${COUNT}, size=${SIZE})`, stream: true },
    model: { flow_content: 'StreamChatOp()', stream: true },
  }),
  llm: { default: { backend: 'mock', answer: bigAnswer, token_delay_ms: 0 } },
};

/** The chunk contents of a raw FlowLLM stream, and whether it ended with [DONE]. */
function decode(body: string): { chunks: string[]; done: boolean } {
  const chunks: string[] = [];
  let done = false;
  const decoder = createSseDecoder({
    onEvent: ({ data }) => {
      if (data === '[DONE]') done = true;
      else chunks.push((JSON.parse(data) as { chunk: string }).chunk);
    },
  });
  decoder.feed(body);
  decoder.end();
  return { chunks, done };
}

const UI_BODY = { id: 'c', messages: [{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'hi' }] }] };
const OPENAI_BODY = { model: 'big', stream: true, messages: [{ role: 'user', content: 'hi' }] };

/** The JSON payloads of an SSE body (`[DONE]` left out). */
function dataPayloads(body: string): Record<string, unknown>[] {
  const payloads: Record<string, unknown>[] = [];
  const decoder = createSseDecoder({
    onEvent: ({ data }) => {
      if (data !== '[DONE]') payloads.push(JSON.parse(data) as Record<string, unknown>);
    },
  });
  decoder.feed(body);
  decoder.end();
  return payloads;
}

const textDelta = (part: Record<string, unknown>) =>
  part.type === 'text-delta' ? (part.delta as string) : undefined;
const contentDelta = (chunk: Record<string, unknown>) => {
  const choice = (chunk.choices as { delta: { content?: string } }[] | undefined)?.[0];
  return choice?.delta.content || undefined;
};

/** Resolves once `count()` stayed the same for 100 ms (fails after the hang guard). */
async function stalled(count: () => number): Promise<void> {
  let last = -1;
  await waitFor(
    () => {
      const now = count();
      const same = now === last;
      last = now;
      return same;
    },
    HANG_MS,
    'production to stall',
    { everyMs: 100 },
  );
}

/** A slow reader: production stops (bounded memory), nothing is lost. */
export function backpressureCases(ctx: SuiteContext): void {
  describe('backpressure', () => {
    it('stops producing while the client does not read, then delivers every chunk in order', async () => {
      const { url } = await ctx.start(config);
      const client = openStream(url, '/big', { body: { query: 'hi' }, pauseOnFirstData: true });
      const res = await client.response;
      await client.waitForText((text) => text.includes('data:'));
      await stalled(() => probe.produced);
      const first = probe.produced;
      await sleep(150);
      const second = probe.produced;
      console.log(`${ctx.tag} produced while paused: ${first} of ${COUNT} chunks`);
      expect(second).toBe(first);
      expect(first).toBeLessThan(COUNT / 2);
      expect(probe.finished).toBe(false);
      res.resume();
      await client.ended;
      expect(client.complete).toBe(true);
      const { chunks, done } = decode(client.text());
      expect(done).toBe(true);
      expect(chunks).toHaveLength(COUNT);
      const pad = 'x'.repeat(SIZE);
      chunks.forEach((chunk, i) => {
        if (chunk !== `${i}:${pad}`) expect.fail(`chunk ${i} is ${chunk.slice(0, 20)}…`);
      });
      expect(probe.finished).toBe(true);
    });

    // The AI SDK's and OpenAI's wires go through the same pump: a slow reader holds them the same way.
    for (const wire of [
      { name: 'the UI message stream', path: '/big/ui', body: UI_BODY, delta: textDelta },
      { name: 'the OpenAI facade', path: '/v1/chat/completions', body: OPENAI_BODY, delta: contentDelta },
    ])
      it(`holds ${wire.name} the same way: production stops, then every chunk arrives in order`, async () => {
        const { url } = await ctx.start({ ...config, openai_facade: { enabled: true } });
        const client = openStream(url, wire.path, { body: wire.body, pauseOnFirstData: true });
        const res = await client.response;
        await client.waitForText((text) => text.includes('data:'));
        await stalled(() => probe.produced);
        const first = probe.produced;
        await sleep(150);
        expect(probe.produced).toBe(first);
        expect(first).toBeLessThan(COUNT / 2);
        res.resume();
        await client.ended;
        const deltas = dataPayloads(client.text())
          .map(wire.delta)
          .filter((text) => text !== undefined);
        expect(deltas).toHaveLength(COUNT);
        const pad = 'x'.repeat(SIZE);
        deltas.forEach((text, i) => {
          if (text !== `${i}:${pad}`) expect.fail(`chunk ${i} is ${String(text).slice(0, 20)}…`);
        });
      });

    it('stops pulling from the model while the client does not read', async () => {
      const { url, llm } = await ctx.start(config);
      const client = openStream(url, '/model', { body: { query: 'hi' }, pauseOnFirstData: true });
      const res = await client.response;
      await client.waitForText((text) => text.includes('data:'));
      await sleep(300);
      const stats = llm().stats;
      expect(stats.active).toBe(1);
      expect(stats.completed).toBe(0);
      res.resume();
      await client.ended;
      expect(client.complete).toBe(true);
      const { chunks, done } = decode(client.text());
      expect(done).toBe(true);
      expect(chunks).toHaveLength(MODEL_TOKENS);
      expect(chunks.join('')).toBe(bigAnswer);
      expect(stats.completed).toBe(1);
    });

    it('aborts the flow when the client leaves while the server waits for drain', async () => {
      const { url, service, logs, hostErrors } = await ctx.start(config);
      const client = openStream(url, '/big', { body: { query: 'hi' }, pauseOnFirstData: true });
      await client.waitForText((text) => text.includes('data:'));
      // Wait until the server is stuck on a full socket: production has stopped.
      await stalled(() => probe.produced);
      const last = probe.produced;
      await sleep(150);
      expect(probe.produced).toBe(last);
      expect(service.openStreamCount).toBe(1);
      const disconnectAt = performance.now();
      client.destroy();
      await waitFor(() => probe.abortedAt !== undefined, HANG_MS, 'the op to see the abort');
      expect(probe.abortedAt!).toBeGreaterThanOrEqual(disconnectAt);
      // The pump's drain wait ended too: nothing is left open.
      await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the stream pump to finish');
      expect(probe.finished).toBe(false);
      expect(logs.filter((line) => line.level === 'error')).toEqual([]);
      await sleep(50);
      // A client gone mid-write is no error of the host's (koa's app.on('error'), express's next(err), …).
      expect(hostErrors).toEqual([]);
    });
  });
}
