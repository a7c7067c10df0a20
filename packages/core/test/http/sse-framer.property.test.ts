import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_TYPES, createChunk, type FlowStreamChunk } from '../../src/chunk.js';
import { encodeChunkEvent, SSE_DONE } from '../../src/exports/sse.js';
import { EVENT_SOURCE_DONE, SseFramer } from '../../src/http/sse-framer.js';

// The framer builds the common chunk from a cached prefix; these pin it to the general encoder.
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\r\n', '"', '\\', '\u2028', '\uD800', '</script>', '\0'),
);
const content = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
);
const metadata = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 3 }) },
);
const chunk = fc.record({
  flowId: fc.oneof(
    fc.uuid().map((id) => id.replaceAll('-', '')),
    fc.constantFrom('a', 'b"\\'),
  ),
  type: fc.constantFrom(...CHUNK_TYPES.filter((type) => type !== 'done')),
  content,
  done: fc.boolean(),
  metadata,
});
const stream = fc.array(chunk, { maxLength: 20 });

function reference(chunks: FlowStreamChunk[], variant: 'post' | 'event-source'): string[] {
  if (variant === 'post')
    return chunks.map((c) => (c.chunk_type === 'done' ? SSE_DONE : encodeChunkEvent(c)));
  return chunks.map((c, index) =>
    c.chunk_type === 'done'
      ? `id:${index + 1}\n${EVENT_SOURCE_DONE}`
      : encodeChunkEvent(c, { id: String(index + 1) }),
  );
}

describe('SseFramer', () => {
  for (const variant of ['post', 'event-source'] as const) {
    it(`${variant}: frames every chunk byte for byte like encodeChunkEvent`, () => {
      fc.assert(
        fc.property(stream, (specs) => {
          const chunks = specs.map((s) =>
            createChunk(s.flowId, s.type, s.content, { done: s.done, metadata: s.metadata }),
          );
          chunks.push(createChunk(specs[0]?.flowId ?? 'a', 'done', ''));
          const framer = new SseFramer(variant);
          expect(chunks.map((c) => framer.frame(c))).toEqual(reference(chunks, variant));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('falls back to the general encoder for metadata JSON does not write as {}', () => {
    const framer = new SseFramer('post');
    const withToJson = createChunk('f', 'answer', 'x', { metadata: { toJSON: () => 'm' } });
    const date = createChunk('f', 'answer', 'x', {
      metadata: new Date(0) as unknown as Record<string, unknown>,
    });
    expect(framer.frame(withToJson)).toBe(
      'data:{"flow_id":"f","chunk_type":"answer","chunk":"x","done":false,"metadata":"m"}\n\n',
    );
    expect(framer.frame(date)).toBe(encodeChunkEvent(date));
    expect(framer.frame(date)).toContain('"metadata":"1970-01-01T00:00:00.000Z"');
  });

  it('uses the new flow id when one framer sees chunks of another flow', () => {
    const framer = new SseFramer('post');
    framer.frame(createChunk('first', 'answer', 'a'));
    expect(framer.frame(createChunk('second', 'answer', 'b'))).toBe(
      'data:{"flow_id":"second","chunk_type":"answer","chunk":"b","done":false,"metadata":{}}\n\n',
    );
  });
});
