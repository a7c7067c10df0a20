import { describe, expect, it } from 'vitest';
import { FlowllmError } from '../../src/errors.js';
import { createSseDecoder, type SseDecodeError, type SseEvent } from '../../src/exports/sse.js';

const utf8 = new TextEncoder();

/** Decodes `pieces` fed one after the other, then ends the stream. */
function decode(pieces: Array<Uint8Array | string>, options?: { maxBufferBytes?: number }) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const errors: SseDecodeError[] = [];
  const decoder = createSseDecoder(
    {
      onEvent: (event) => events.push(event),
      onComment: (text) => comments.push(text),
      onRetry: (ms) => retries.push(ms),
      onError: (error) => errors.push(error),
    },
    options,
  );
  for (const piece of pieces) decoder.feed(piece);
  decoder.end();
  return { events, comments, retries, errors };
}

/** Every way to cut `bytes` in two, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const result: Uint8Array[][] = [[...bytes].map((byte) => Uint8Array.of(byte))];
  for (let cut = 0; cut <= bytes.length; cut++) result.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  return result;
}

describe('createSseDecoder', () => {
  it('reads data:x and data: x the same, and strips only one space', () => {
    expect(decode(['data:x\n\ndata: x\n\ndata:  x\n\n']).events).toEqual([
      { data: 'x' },
      { data: 'x' },
      { data: ' x' },
    ]);
  });

  it('reads LF, CR and CRLF line endings', () => {
    for (const eol of ['\n', '\r', '\r\n']) {
      const stream = `event:e${eol}id:1${eol}data:a${eol}data:b${eol}${eol}data:c${eol}${eol}`;
      expect(decode([stream]).events).toEqual([{ event: 'e', id: '1', data: 'a\nb' }, { data: 'c' }]);
    }
  });

  it('treats a CRLF split across two feeds as one line break', () => {
    const stream = utf8.encode('data:a\r\ndata:b\r\n\r\ndata:c\r\n\r\n');
    for (const pieces of splits(stream)) {
      expect(decode(pieces).events).toEqual([{ data: 'a\nb' }, { data: 'c' }]);
    }
  });

  it('dispatches an event ended by a CR that is the last byte of the stream', () => {
    expect(decode(['data:a\r\r']).events).toEqual([{ data: 'a' }]);
    expect(decode(['data:a\n\r']).events).toEqual([{ data: 'a' }]);
    expect(decode(['data:a\r']).events).toEqual([]);
  });

  it('keeps multibyte characters split anywhere across feeds', () => {
    const text = 'héllo 😀 世界 👩🏽‍💻';
    for (const pieces of splits(utf8.encode(`data:${text}\n\n`))) {
      expect(decode(pieces).events).toEqual([{ data: text }]);
    }
  });

  it('strips one BOM at the very start only, even when split across feeds', () => {
    const stream = utf8.encode('\uFEFFdata:a\n\n');
    for (const pieces of splits(stream)) expect(decode(pieces).events).toEqual([{ data: 'a' }]);
    expect(decode(['\uFEFFdata:a\n\n']).events).toEqual([{ data: 'a' }]);
    // A second BOM is not a BOM but part of the first field name, which then is unknown.
    expect(decode(['\uFEFF\uFEFFdata:a\n\n']).events).toEqual([]);
    expect(decode(['data:\uFEFFa\n\n']).events).toEqual([{ data: '\uFEFFa' }]);
    expect(decode(['data:a\n\n', '\uFEFFdata:b\n\n']).events).toEqual([{ data: 'a' }]);
  });

  it('reports comments and valid retry values, and ignores invalid ones', () => {
    const result = decode([': ping\n\n:\n\n:no space\nretry:3000\nretry:x\nretry:\ndata:a\n\n']);
    expect(result.comments).toEqual(['ping', '', 'no space']);
    expect(result.retries).toEqual([3000]);
    expect(result.events).toEqual([{ data: 'a' }]);
    expect(result.errors).toEqual([]);
  });

  it('ignores unknown fields and events without data', () => {
    expect(decode(['foo:bar\nevent:end\n\nid:5\n\ndata:a\n\n']).events).toEqual([{ data: 'a' }]);
  });

  it('gives an empty data line as an event with empty data', () => {
    expect(decode(['data:\n\ndata\n\n']).events).toEqual([{ data: '' }, { data: '' }]);
  });

  it('discards an unterminated final event', () => {
    expect(decode(['data:a\n\ndata:b\n']).events).toEqual([{ data: 'a' }]);
    expect(decode(['data:a\n\ndata:b']).events).toEqual([{ data: 'a' }]);
    // A stream cut inside a character: the partial character belongs to the discarded event.
    const cut = Uint8Array.of(...utf8.encode('data:a\n\ndata:'), 0xf0, 0x9f);
    expect(decode([cut]).events).toEqual([{ data: 'a' }]);
  });

  it('takes strings and bytes in the same stream', () => {
    expect(decode(['data:a', utf8.encode('b\n'), '\ndata:c\n\n']).events).toEqual([
      { data: 'ab' },
      { data: 'c' },
    ]);
  });

  it('starts over after end() and after reset()', () => {
    const events: SseEvent[] = [];
    const decoder = createSseDecoder({ onEvent: (event) => events.push(event) });
    decoder.feed('data:lost');
    decoder.reset();
    decoder.feed('\uFEFFdata:a\n\n');
    decoder.end();
    decoder.feed('\uFEFFdata:b\n');
    decoder.end();
    decoder.feed('data:c\n\n');
    expect(events).toEqual([{ data: 'a' }, { data: 'c' }]);
  });

  it('refuses a maxBufferBytes that is not positive', () => {
    expect(() => createSseDecoder({ onEvent() {} }, { maxBufferBytes: 0 })).toThrow(RangeError);
    expect(() => createSseDecoder({ onEvent() {} }, { maxBufferBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('the buffer limit', () => {
  it('reports an endless line through onError, after the events before it', () => {
    const result = decode(['data:a\n\n', `data:${'x'.repeat(200)}`], { maxBufferBytes: 100 });
    expect(result.events).toEqual([{ data: 'a' }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.code).toBe('FLOWLLM_SSE_DECODE');
    expect(FlowllmError.isInstance(result.errors[0])).toBe(true);
  });

  it('counts the lines of one event together, and a blank line resets the count', () => {
    for (const eol of ['\n', '\r', '\r\n']) {
      const line = `data:${'x'.repeat(20)}${eol}`; // 25 bytes without its line break
      for (const pieces of splits(utf8.encode(line.repeat(5)))) {
        expect(decode(pieces, { maxBufferBytes: 100 }).errors).toHaveLength(1);
      }
      const fine = decode([`${line.repeat(4)}${eol}`.repeat(10)], { maxBufferBytes: 100 });
      expect(fine.errors).toEqual([]);
      expect(fine.events).toHaveLength(10);
    }
  });

  it('counts bytes, not characters', () => {
    const cjk = '世'.repeat(30); // 90 bytes, 30 characters
    expect(decode([`data:${cjk}\n\n`], { maxBufferBytes: 95 }).errors).toEqual([]);
    expect(decode([`data:${cjk}\n\n`], { maxBufferBytes: 94 }).errors).toHaveLength(1);
    expect(decode([utf8.encode(`data:${cjk}\n\n`)], { maxBufferBytes: 94 }).errors).toHaveLength(1);
  });

  it('gives the same outcome however the stream is cut', () => {
    const stream = utf8.encode(`data:ok\n\ndata:${'é'.repeat(10)}\r\n\r\ndata:${'y'.repeat(30)}\n\n`);
    for (const pieces of splits(stream)) {
      const result = decode(pieces, { maxBufferBytes: 30 });
      expect(result.events).toEqual([{ data: 'ok' }, { data: 'é'.repeat(10) }]);
      expect(result.errors).toHaveLength(1);
    }
  });

  it('throws from feed without onError, then ignores input until reset', () => {
    const events: SseEvent[] = [];
    const decoder = createSseDecoder({ onEvent: (event) => events.push(event) }, { maxBufferBytes: 10 });
    expect(() => decoder.feed('data:0123456789')).toThrow(
      expect.objectContaining({ code: 'FLOWLLM_SSE_DECODE' }),
    );
    decoder.feed('\n\ndata:lost\n\n');
    decoder.reset();
    decoder.feed('data:a\n\n');
    expect(events).toEqual([{ data: 'a' }]);
  });

  it('stays within the default 1 MiB limit for big events, and stops past it', () => {
    const big = 'z'.repeat(1024 * 1024 - 10);
    expect(decode([`data:${big}\n\n`]).events).toEqual([{ data: big }]);
    const endless = decode(Array.from({ length: 20 }, () => 'x'.repeat(64 * 1024)));
    expect(endless.errors).toHaveLength(1);
  });
});
