import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_TYPES, type FlowStreamChunk } from '../../src/chunk.js';
import {
  createSseDecoder,
  encodeChunkEvent,
  encodeSseComment,
  encodeSseEvent,
  SseEncodeError,
  type SseEvent,
  type SseEventInit,
} from '../../src/exports/sse.js';

const RUNS = { numRuns: 300 };
const utf8 = new TextEncoder();

/** Unicode text mixed with the characters that matter to SSE framing. */
const text = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('\r', '\n', '\r\n', '\0', ' ', ':', '😀', '世界', '\uFEFF', 'data:'),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''));

/** How to cut the encoded bytes: one byte at a time, or at arbitrary points. */
const chunking = fc.oneof(fc.constant('one byte at a time' as const), fc.array(fc.nat(), { maxLength: 24 }));

function cut(bytes: Uint8Array, plan: 'one byte at a time' | number[]): Uint8Array[] {
  if (plan === 'one byte at a time') return Array.from(bytes, (byte) => Uint8Array.of(byte));
  const points = [...new Set(plan.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  return pieces;
}

function decodeInPieces(stream: string, plan: 'one byte at a time' | number[]) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const decoder = createSseDecoder({
    onEvent: (event) => events.push(event),
    onRetry: (ms) => retries.push(ms),
  });
  for (const piece of cut(utf8.encode(stream), plan)) decoder.feed(piece);
  decoder.end();
  return { events, retries };
}

const normaliseLineBreaks = (value: string) => value.replace(/\r\n|\r/g, '\n');

describe('encode then decode', () => {
  it('gives back any data, up to line-break normalisation, in both space modes', () => {
    fc.assert(
      fc.property(text, fc.boolean(), chunking, (payload, space, plan) => {
        const { events } = decodeInPieces(encodeSseEvent({ data: payload }, { space }), plan);
        expect(events).toEqual([{ data: normaliseLineBreaks(payload) }]);
      }),
      RUNS,
    );
  });

  it('gives back any chunk object exactly through JSON', () => {
    const json = fc.jsonValue({ stringUnit: 'binary' }).map((value) => JSON.parse(JSON.stringify(value)));
    const chunk = fc.record({
      flow_id: fc.string({ unit: 'binary' }),
      chunk_type: fc.constantFrom(...CHUNK_TYPES.filter((type) => type !== 'done')),
      chunk: fc.oneof(text, fc.array(json), fc.dictionary(text, json)),
      done: fc.boolean(),
      metadata: fc.dictionary(text, json),
    });
    fc.assert(
      fc.property(chunk, chunking, (value, plan) => {
        const expected = JSON.parse(JSON.stringify(value)) as FlowStreamChunk;
        const frame = encodeChunkEvent(value);
        expect(frame.startsWith('data:{')).toBe(true);
        const { events } = decodeInPieces(frame, plan);
        expect(events).toHaveLength(1);
        expect(JSON.parse(events[0]!.data)).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('CR/LF injection', () => {
  const withLineBreak = fc
    .tuple(text, fc.constantFrom('\r', '\n', '\r\n'), text)
    .map(([before, lineBreak, after]) => before + lineBreak + after);
  const withoutLineBreak = text.map((value) => value.replace(/[\r\n]/g, ''));

  it('refuses event and id values that hold CR or LF', () => {
    fc.assert(
      fc.property(withLineBreak, (value) => {
        expect(() => encodeSseEvent({ event: value, data: 'x' })).toThrow(SseEncodeError);
        expect(() => encodeSseEvent({ id: value, data: 'x' })).toThrow(SseEncodeError);
        expect(() => encodeSseComment(value)).toThrow(SseEncodeError);
      }),
      RUNS,
    );
  });

  it('decodes exactly the event name and id it was given', () => {
    fc.assert(
      fc.property(withoutLineBreak, withoutLineBreak, fc.boolean(), chunking, (name, id, space, plan) => {
        const cleanId = id.replace(/\0/g, '');
        const stream = encodeSseEvent({ event: name, id: cleanId, data: 'x' }, { space });
        const { events } = decodeInPieces(stream, plan);
        // An empty event type means the default ("message"), which the decoder leaves out.
        expect(events).toEqual([{ data: 'x', id: cleanId, ...(name === '' ? {} : { event: name }) }]);
        if (id !== cleanId) expect(() => encodeSseEvent({ id, data: 'x' })).toThrow(SseEncodeError);
      }),
      RUNS,
    );
  });
});

describe('many events back to back', () => {
  const eventInit: fc.Arbitrary<SseEventInit> = fc.record(
    {
      data: text,
      event: fc
        .string({ unit: 'grapheme', minLength: 1 })
        .map((value) => value.replace(/[\r\n]/g, '') || 'e'),
      id: fc.string({ unit: 'grapheme' }).map((value) => value.replace(/[\r\n\0]/g, '')),
      retry: fc.nat(),
    },
    { requiredKeys: ['data'] },
  );
  const item = fc.oneof(
    { weight: 4, arbitrary: eventInit },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }).map((value) => value.replace(/[\r\n]/g, '')) },
  );

  it('decodes the same sequence however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), fc.boolean(), chunking, (items, space, plan) => {
        let stream = '';
        const expected: SseEvent[] = [];
        const expectedRetries: number[] = [];
        for (const entry of items) {
          if (typeof entry === 'string') {
            stream += encodeSseComment(entry);
            continue;
          }
          stream += encodeSseEvent(entry, { space });
          const event: SseEvent = { data: normaliseLineBreaks(entry.data!) };
          if (entry.event !== undefined) event.event = entry.event;
          if (entry.id !== undefined) event.id = entry.id;
          expected.push(event);
          if (entry.retry !== undefined) expectedRetries.push(entry.retry);
        }
        const { events, retries } = decodeInPieces(stream, plan);
        expect(events).toEqual(expected);
        expect(retries).toEqual(expectedRetries);
      }),
      RUNS,
    );
  });
});
