import { describe, expect, it } from 'vitest';
import { createChunk } from '../../src/chunk.js';
import { FlowllmError } from '../../src/errors.js';
import {
  encodeChunkEvent,
  encodeSseComment,
  encodeSseEvent,
  SSE_DONE,
  SSE_HEADERS,
  SSE_HEARTBEAT,
  SseEncodeError,
} from '../../src/exports/sse.js';

function refusal(run: () => unknown): SseEncodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SseEncodeError);
    return error as SseEncodeError;
  }
  throw new Error('expected the encoder to refuse');
}

describe('FlowLLM framing', () => {
  it('encodes a chunk byte for byte as FlowLLM does', () => {
    expect(encodeChunkEvent(createChunk('3f2a', 'answer', 'Hel'))).toBe(
      'data:{"flow_id":"3f2a","chunk_type":"answer","chunk":"Hel","done":false,"metadata":{}}\n\n',
    );
  });

  it('keeps a chunk whose text holds line breaks on one data line', () => {
    const frame = encodeChunkEvent(createChunk('f', 'answer', 'a\r\nb\rc\nd'));
    expect(frame).toBe(
      'data:{"flow_id":"f","chunk_type":"answer","chunk":"a\\r\\nb\\rc\\nd","done":false,"metadata":{}}\n\n',
    );
  });

  it('puts id and event lines before the data when asked', () => {
    const chunk = createChunk('f', 'think', 'x');
    expect(encodeChunkEvent(chunk, { id: '4', event: 'chunk' })).toBe(
      `event:chunk\nid:4\ndata:${JSON.stringify(chunk)}\n\n`,
    );
  });

  it('refuses a line break in the id of a chunk event', () => {
    expect(refusal(() => encodeChunkEvent(createChunk('f', 'answer', 'x'), { id: '1\n' })).field).toBe('id');
  });

  it('ends streams with data:[DONE]', () => {
    expect(SSE_DONE).toBe('data:[DONE]\n\n');
    expect(encodeSseEvent({ data: '[DONE]' })).toBe(SSE_DONE);
  });
});

describe('encodeSseEvent', () => {
  it('writes no space after the colon by default and one with space: true', () => {
    expect(encodeSseEvent({ data: 'x' })).toBe('data:x\n\n');
    expect(encodeSseEvent({ data: 'x' }, { space: true })).toBe('data: x\n\n');
  });

  it('adds a space before a value that starts with one, so the parser keeps it', () => {
    expect(encodeSseEvent({ data: ' x' })).toBe('data:  x\n\n');
    expect(encodeSseEvent({ data: '  x' })).toBe('data:   x\n\n');
    expect(encodeSseEvent({ data: 'a\n b' })).toBe('data:a\ndata:  b\n\n');
    expect(encodeSseEvent({ data: ' x' }, { space: true })).toBe('data:  x\n\n');
    expect(encodeSseEvent({ event: ' e', id: ' 1', data: 'x' })).toBe('event:  e\nid:  1\ndata:x\n\n');
  });

  it('splits data on LF, CR and CRLF, one data line each', () => {
    expect(encodeSseEvent({ data: 'a\nb' })).toBe('data:a\ndata:b\n\n');
    expect(encodeSseEvent({ data: 'a\rb' })).toBe('data:a\ndata:b\n\n');
    expect(encodeSseEvent({ data: 'a\r\nb' })).toBe('data:a\ndata:b\n\n');
    expect(encodeSseEvent({ data: 'a\n\rb\r\r\nc' })).toBe('data:a\ndata:\ndata:b\ndata:\ndata:c\n\n');
    expect(encodeSseEvent({ data: 'a\nb' }, { space: true })).toBe('data: a\ndata: b\n\n');
  });

  it('keeps leading and trailing line breaks as empty data lines', () => {
    expect(encodeSseEvent({ data: 'a\n' })).toBe('data:a\ndata:\n\n');
    expect(encodeSseEvent({ data: '\na' })).toBe('data:\ndata:a\n\n');
    expect(encodeSseEvent({ data: '\r\n' })).toBe('data:\ndata:\n\n');
  });

  it('writes empty data as one empty data line, which still dispatches', () => {
    expect(encodeSseEvent({ data: '' })).toBe('data:\n\n');
    expect(encodeSseEvent({ data: '' }, { space: true })).toBe('data: \n\n');
  });

  it('writes event, id, retry, then data', () => {
    expect(encodeSseEvent({ data: 'x', retry: 3000, id: '7', event: 'delta' })).toBe(
      'event:delta\nid:7\nretry:3000\ndata:x\n\n',
    );
    expect(encodeSseEvent({ data: 'x', retry: 0, id: '7', event: 'delta' }, { space: true })).toBe(
      'event: delta\nid: 7\nretry: 0\ndata: x\n\n',
    );
  });

  it('writes an empty id, which resets the last event id', () => {
    expect(encodeSseEvent({ id: '', data: 'x' })).toBe('id:\ndata:x\n\n');
  });

  it('writes events without data as asked, still ending with a blank line', () => {
    expect(encodeSseEvent({ id: '9' })).toBe('id:9\n\n');
    expect(encodeSseEvent({ retry: 1500 })).toBe('retry:1500\n\n');
    expect(encodeSseEvent({ event: 'end' })).toBe('event:end\n\n');
    expect(encodeSseEvent({})).toBe('\n');
  });

  it('refuses CR or LF in event and id, naming the field', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\r\nb', '\n', 'end\r']) {
      const eventError = refusal(() => encodeSseEvent({ event: bad, data: 'x' }));
      expect(eventError.code).toBe('FLOWLLM_SSE_FIELD');
      expect(eventError.field).toBe('event');
      expect(eventError.message).toContain('"event"');
      const idError = refusal(() => encodeSseEvent({ id: bad, data: 'x' }));
      expect(idError.field).toBe('id');
      expect(idError.message).toContain('"id"');
    }
  });

  it('refuses NUL in id but not in event or data', () => {
    const error = refusal(() => encodeSseEvent({ id: 'a\0b', data: 'x' }));
    expect(error.field).toBe('id');
    expect(error.message).toContain('NUL');
    expect(encodeSseEvent({ event: 'a\0b', data: 'c\0d' })).toBe('event:a\0b\ndata:c\0d\n\n');
  });

  it('refuses a retry that is not a non-negative safe integer', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      const error = refusal(() => encodeSseEvent({ retry: bad, data: 'x' }));
      expect(error.code).toBe('FLOWLLM_SSE_FIELD');
      expect(error.field).toBe('retry');
    }
    expect(encodeSseEvent({ retry: Number.MAX_SAFE_INTEGER })).toBe('retry:9007199254740991\n\n');
  });

  it('throws errors that are FlowllmErrors', () => {
    const error = refusal(() => encodeSseEvent({ event: '\n' }));
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect(error.name).toBe('SseEncodeError');
  });
});

describe('comments and heartbeat', () => {
  it('encodes comments', () => {
    expect(encodeSseComment('ping')).toBe(': ping\n\n');
    expect(encodeSseComment()).toBe(':\n\n');
    expect(encodeSseComment('')).toBe(':\n\n');
    expect(SSE_HEARTBEAT).toBe(': ping\n\n');
  });

  it('refuses CR or LF in a comment', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\r\n']) {
      const error = refusal(() => encodeSseComment(bad));
      expect(error.code).toBe('FLOWLLM_SSE_FIELD');
      expect(error.field).toBe('comment');
    }
  });
});

describe('SSE_HEADERS', () => {
  it('has the three headers SSE needs, lower-case, and no connection-level ones', () => {
    expect(SSE_HEADERS).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    for (const name of Object.keys(SSE_HEADERS)) expect(name).toBe(name.toLowerCase());
    expect(Object.isFrozen(SSE_HEADERS)).toBe(true);
  });
});

describe('encodeChunkEvent and the done chunk', () => {
  it("writes FlowLLM's literal [DONE] frame for the internal done chunk", () => {
    expect(encodeChunkEvent(createChunk('f1', 'done', ''))).toBe(SSE_DONE);
    expect(SSE_DONE).toBe('data:[DONE]\n\n');
  });
});
