import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChunk } from '../../src/chunk.js';
import {
  encodeChunkEvent,
  parseFlowEvent,
  readSseEvents,
  SSE_DONE,
  SSE_HEADERS,
  SSE_HEARTBEAT,
  type SseEvent,
} from '../../src/exports/sse.js';

const utf8 = new TextEncoder();

async function collect(events: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
  const result: SseEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
}

/** A web stream that hands out `pieces`, then stays open if `hang`; records whether it was cancelled. */
function webStream(pieces: string[], hang = false) {
  const state = { cancelled: false as boolean, reason: undefined as unknown };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++];
      if (piece !== undefined) controller.enqueue(utf8.encode(piece));
      else if (!hang) controller.close();
      else return new Promise<void>(() => {});
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { stream, state };
}

describe('readSseEvents', () => {
  it('reads a web ReadableStream, discarding an unterminated final event', async () => {
    const { stream } = webStream(['data:a\n', '\nid:2\nda', 'ta:b\n\n', 'data:lost']);
    expect(await collect(readSseEvents(stream))).toEqual([{ data: 'a' }, { id: '2', data: 'b' }]);
  });

  it('reads a Node stream (an async iterable of Buffers or strings)', async () => {
    const bytes = Buffer.from('data:😀\n\ndata:b\n\n');
    const pieces = [bytes.subarray(0, 7), bytes.subarray(7)];
    expect(await collect(readSseEvents(Readable.from(pieces)))).toEqual([{ data: '😀' }, { data: 'b' }]);
    expect(await collect(readSseEvents(Readable.from(['data:x\n\n'])))).toEqual([{ data: 'x' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    const { stream, state } = webStream(['data:a\n\ndata:b\n\n'], true);
    for await (const event of readSseEvents(stream)) {
      expect(event.data).toBe('a');
      break;
    }
    expect(state.cancelled).toBe(true);
  });

  it('rejects with the abort reason while waiting for data, and cancels the body', async () => {
    const { stream, state } = webStream(['data:a\n\n'], true);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readSseEvents(stream, { signal: controller.signal })) {
        seen.push(event.data);
        setTimeout(() => controller.abort(new Error('stop')), 5);
      }
    })();
    await expect(reading).rejects.toThrow('stop');
    expect(seen).toEqual(['a']);
    expect(state.cancelled).toBe(true);
    expect(state.reason).toEqual(new Error('stop'));
  });

  it('rejects at once with an already aborted signal', async () => {
    const { stream } = webStream(['data:a\n\n']);
    const reading = collect(readSseEvents(stream, { signal: AbortSignal.abort(new Error('early')) }));
    await expect(reading).rejects.toThrow('early');
  });

  it('yields the events before an oversized one, then throws the decode error', async () => {
    const { stream, state } = webStream(['data:a\n\n', `data:${'x'.repeat(50)}`, '\n\n'], true);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readSseEvents(stream, { maxBufferBytes: 20 })) seen.push(event.data);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'FLOWLLM_SSE_DECODE' });
    expect(seen).toEqual(['a']);
    expect(state.cancelled).toBe(true);
  });

  describe('against a real server with fetch', () => {
    let server: Server;
    let url: string;
    const chunks = [createChunk('3f2a', 'answer', 'Hel'), createChunk('3f2a', 'answer', 'lo 世界')];

    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(200, SSE_HEADERS);
        response.write(SSE_HEARTBEAT);
        for (const chunk of chunks) response.write(encodeChunkEvent(chunk));
        response.end(SSE_DONE);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flow`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reads the chunks and the terminal frame of a FlowLLM stream', async () => {
      const response = await fetch(url, { method: 'POST' });
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const flowEvents = [];
      for await (const event of readSseEvents(response.body!)) flowEvents.push(parseFlowEvent(event.data));
      expect(flowEvents).toEqual([...chunks.map((chunk) => ({ done: false, chunk })), { done: true }]);
    });
  });
});

describe('parseFlowEvent', () => {
  it('reads [DONE], chunks, and nothing else', () => {
    const chunk = createChunk('f', 'tool', {
      index: 0,
      id: 'c1',
      type: 'function',
      function: { name: 'n', arguments: '{}' },
    });
    expect(parseFlowEvent('[DONE]')).toEqual({ done: true });
    expect(parseFlowEvent(' [DONE] ')).toEqual({ done: true });
    expect(parseFlowEvent(JSON.stringify(chunk))).toEqual({ done: false, chunk });
    for (const other of ['', 'hello', '[1,2]', '"text"', '42', 'null', 'true', '{"a":', '[DONE]x']) {
      expect(parseFlowEvent(other)).toBeNull();
    }
  });
});
