import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FlowChunk, FlowClient, FlowClientError } from '../src/index.js';
import {
  decode,
  encode,
  fakeFetch,
  fixture,
  flowllmReference,
  oneByteAtATime,
  splitAt,
  withLineEnding,
} from './helpers.js';

/** Streams `pieces` through a client on a fake fetch; returns what it yields. */
async function streamPieces(pieces: Uint8Array[]): Promise<FlowChunk[]> {
  const client = new FlowClient({ baseUrl: 'http://flowllm.test', fetch: fakeFetch(pieces).fetch });
  const received: FlowChunk[] = [];
  for await (const chunk of client.streamFlow('demo_stream_http_flow', { query: 'what is ai' }))
    received.push(chunk);
  return received;
}

const demo = fixture('flowllm-demo.sse');
const demoText = decode(demo);
const reference = flowllmReference(demoText);
const expected = reference.chunks.map((chunk) => ({
  ...chunk,
  type: chunk.chunk_type,
  content: chunk.chunk,
}));

const framings: [string, Uint8Array][] = [
  ['LF (FlowLLM)', demo],
  ['CRLF', withLineEnding(demo, '\r\n')],
  ['CR', withLineEnding(demo, '\r')],
];

describe('a recorded FlowLLM stream (data: without a space, compact JSON, UTF-8)', () => {
  it('is what the fixture claims: FlowLLM framing with multibyte characters', () => {
    expect(demoText.startsWith('data:{"flow_id":')).toBe(true);
    expect(demoText).not.toContain('data: ');
    expect(demoText.endsWith('data:[DONE]\n\n')).toBe(true);
    expect(demo.length).toBeGreaterThan(demoText.length); // multibyte characters
    expect(demoText).toContain('🤖'); // four bytes in UTF-8
    expect(expected.length).toBe(20);
  });

  for (const [name, bytes] of framings) {
    it(`${name}: whole, then one byte at a time, gives every chunk with type and content`, async () => {
      expect(await streamPieces([bytes])).toEqual(expected);
      expect(await streamPieces(oneByteAtATime(bytes))).toEqual(expected);
    });

    // A few thousand whole streams: 2-6 s alone, over 30 s on a loaded 2-core machine; the bound only
    // catches a hang. In-memory streams settle in microtasks alone, so the loop yields a macrotask now
    // and then: otherwise vitest's worker cannot answer its runner for the whole loop and times out.
    it(`${name}: cut in two at every byte offset`, async () => {
      for (let cut = 1; cut < bytes.length; cut++) {
        if (cut % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
        const received = await streamPieces(splitAt(bytes, [cut]));
        if (received.length !== expected.length) throw new Error(`cut at ${cut}: ${received.length} chunks`);
        expect(received).toEqual(expected);
      }
    }, 180_000);

    it(`${name}: any random chunking`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
          async (cuts) => {
            expect(await streamPieces(splitAt(bytes, cuts))).toEqual(expected);
          },
        ),
        { numRuns: 100 },
      );
    });
  }

  it('splits inside a four-byte character and inside a CRLF pair', async () => {
    const crlf = withLineEnding(demo, '\r\n');
    const emoji = encode('🤖');
    const at = indexOfBytes(crlf, emoji);
    const pair = indexOfBytes(crlf, encode('\r\n\r\n'));
    expect(at).toBeGreaterThan(0);
    const received = await streamPieces(splitAt(crlf, [at + 1, at + 2, at + 3, pair + 1, pair + 3]));
    expect(received).toEqual(expected);
    expect(received.map((chunk) => chunk.content)).toContain('🤖 ');
  });

  it("yields what FlowLLM's own client yields, plus the chunks it drops for empty content", async () => {
    const received = await streamPieces([demo]);
    const nonEmpty = received
      .filter((chunk) => chunk.content !== '')
      .map(({ type, content }) => ({ type, content }));
    expect(nonEmpty).toEqual(reference.yielded);
    expect(received.at(-1)).toMatchObject({ type: 'answer', content: '' });
    const tool = received.find((chunk) => chunk.type === 'tool');
    expect(tool?.content).toEqual({
      index: 0,
      id: 'call_0',
      type: 'function',
      function: { name: 'web_search', arguments: '{"query":"人工智能"}' },
    });
    expect(
      received
        .filter((chunk) => chunk.type === 'answer')
        .map((chunk) => chunk.content)
        .join(''),
    ).toBe('人工智能(AI) is the field of building systems 🤖 that think — naïvely or not.');
  });

  it('a mid-stream error chunk is yielded (done: true, empty flow_id) and the stream then ends at [DONE]', async () => {
    const bytes = fixture('flowllm-error.sse');
    for (const pieces of [[bytes], oneByteAtATime(bytes)]) {
      const received = await streamPieces(pieces);
      expect(received.map(({ type, content, done }) => ({ type, content, done }))).toEqual([
        { type: 'answer', content: 'Partial ', done: false },
        { type: 'answer', content: 'answer', done: false },
        { type: 'error', content: 'Error code: 429 - quota exceeded', done: true },
      ]);
      expect(received[2]!.flow_id).toBe('');
    }
  });
});

describe('other framings a server may send', () => {
  const chunk = (text: string, type = 'answer') =>
    JSON.stringify({ flow_id: 'f', chunk_type: type, chunk: text, done: false, metadata: {} });

  it("flowllm's EventSource variant: a BOM, id: lines, comments, `data: x`, event:done", async () => {
    const text =
      `\uFEFF: ping\n\nid:1\ndata:${chunk('a')}\n\n` +
      `id:2\ndata: ${chunk('b')}\n\n: ping\n\nretry:3000\n\nevent:message\nid:3\ndata:${chunk('c')}\n\n` +
      'id:4\nevent:done\ndata:[DONE]\n\n';
    for (const pieces of [[encode(text)], oneByteAtATime(encode(text))]) {
      expect((await streamPieces(pieces)).map((c) => c.content)).toEqual(['a', 'b', 'c']);
    }
  });

  it('skips data that is not a JSON object, as FlowLLM does', async () => {
    const text = `data:hello\n\ndata:42\n\ndata:{broken\n\ndata:${chunk('ok')}\n\ndata:[DONE]\n\n`;
    expect((await streamPieces([encode(text)])).map((c) => c.content)).toEqual(['ok']);
  });

  it('reads an event with several JSON data lines line by line, as a line-based client would', async () => {
    const text = `data:${chunk('x')}\ndata:${chunk('y')}\n\ndata:[DONE]\n\n`;
    expect((await streamPieces([encode(text)])).map((c) => c.content)).toEqual(['x', 'y']);
  });

  it('stops at [DONE] and cancels the body, ignoring anything after it', async () => {
    const fake = fakeFetch([
      encode(`data:${chunk('x')}\n\ndata:[DONE]\n\n`),
      encode(`data:${chunk('late')}\n\n`),
    ]);
    const client = new FlowClient({ baseUrl: 'http://flowllm.test', fetch: fake.fetch });
    const received: unknown[] = [];
    for await (const c of client.streamFlow('f')) received.push(c.content);
    expect(received).toEqual(['x']);
    expect(fake.cancelled).toBe(true);
  });
});

describe('a truncated stream throws', () => {
  const cases: [string, Uint8Array][] = [
    ['no [DONE] event', demo.subarray(0, demo.length - 'data:[DONE]\n\n'.length)],
    ['[DONE] without its blank line', demo.subarray(0, demo.length - 1)],
    ['cut inside a chunk', demo.subarray(0, 700)],
    ['an empty body', new Uint8Array()],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: FlowClientError 'truncated' after the chunks that did arrive`, async () => {
      const client = new FlowClient({
        baseUrl: 'http://flowllm.test',
        fetch: fakeFetch(oneByteAtATime(bytes)).fetch,
      });
      const received: FlowChunk[] = [];
      const error = await (async () => {
        for await (const c of client.streamFlow('f')) received.push(c);
      })().catch((caught: unknown) => caught);
      expect(FlowClientError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'truncated', status: 200 });
      expect((error as Error).message).toMatch(/before data:\[DONE\]/);
      expect(received).toEqual(expected.slice(0, received.length));
    });
  }

  it('a connection that breaks mid-stream', async () => {
    const fake = fakeFetch([demo.subarray(0, 400)], { error: new TypeError('terminated') });
    const client = new FlowClient({ baseUrl: 'http://flowllm.test', fetch: fake.fetch });
    const error = await (async () => {
      for await (const _ of client.streamFlow('f'));
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowClientError);
    expect(error).toMatchObject({ code: 'truncated', message: expect.stringContaining('terminated') });
  });

  it('an event that never ends, past maxEventSize', async () => {
    const endless = encode(`data:${'x'.repeat(5000)}`);
    const client = new FlowClient({
      baseUrl: 'http://flowllm.test',
      fetch: fakeFetch(splitAt(endless, [1000, 2000, 3000, 4000])).fetch,
      maxEventSize: 2048,
    });
    await expect(client.streamFlow('f').next()).rejects.toMatchObject({
      code: 'truncated',
      message: expect.stringContaining('exceeds 2048'),
    });
  });
});

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
