import { describe, expect, it } from 'vitest';
import { BYTES_BATCH_CHARS, FrameBatch } from '../../src/http/frame-batch.js';

const decode = (data: string | Uint8Array) =>
  typeof data === 'string' ? data : new TextDecoder().decode(data);

describe('FrameBatch', () => {
  it('joins small frames into one string and is empty after take', () => {
    const batch = new FrameBatch();
    expect(batch.empty).toBe(true);
    batch.add('data:1\n\n');
    batch.add('data:2\n\n');
    expect(batch.take()).toBe('data:1\n\ndata:2\n\n');
    expect(batch.empty).toBe(true);
    expect(batch.take()).toBe('');
  });

  it('turns a batch past the limit into one UTF-8 byte array holding every frame in order', () => {
    const frames = [
      'data:"small é"\n\n',
      `data:"${'ü🙂'.repeat(BYTES_BATCH_CHARS / 2)}"\n\n`,
      'data:[DONE]\n\n',
    ];
    const batch = new FrameBatch();
    for (const frame of frames) batch.add(frame);
    const data = batch.take();
    expect(data).toBeInstanceOf(Uint8Array);
    expect(decode(data)).toBe(frames.join(''));
    expect(batch.empty).toBe(true);
    batch.add('data:again\n\n');
    expect(batch.take()).toBe('data:again\n\n');
  });

  it('passes one big frame on as it is (nothing to join)', () => {
    const frame = `data:"${'x'.repeat(BYTES_BATCH_CHARS)}"\n\n`;
    const batch = new FrameBatch();
    batch.add(frame);
    expect(batch.take()).toBe(frame);
  });

  it('encodes without Node’s Buffer too (other runtimes of the fetch path)', () => {
    const frames = [`data:"${'é'.repeat(BYTES_BATCH_CHARS)}"\n\n`, 'data:"🙂"\n\n'];
    const saved = globalThis.Buffer;
    const batch = new FrameBatch();
    let data: string | Uint8Array;
    try {
      (globalThis as { Buffer?: unknown }).Buffer = undefined;
      for (const frame of frames) batch.add(frame);
      data = batch.take();
    } finally {
      globalThis.Buffer = saved;
    }
    expect(data).toBeInstanceOf(Uint8Array);
    expect(decode(data)).toBe(frames.join(''));
  });
});
