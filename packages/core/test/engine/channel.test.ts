import { describe, expect, it } from 'vitest';
import { ChunkChannel } from '../../src/engine/chunk-channel.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ChunkChannel', () => {
  it('lets producers run ahead only up to the high-water mark', async () => {
    const channel = new ChunkChannel<number>(3);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 10; i++) {
        await channel.push(i);
        pushed++;
      }
      channel.close();
    })();
    await tick();
    expect(pushed).toBe(2);
    expect(channel.size).toBe(3);
    const received: number[] = [];
    for await (const item of channel) received.push(item);
    await producer;
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('hands an item straight to a waiting consumer', async () => {
    const channel = new ChunkChannel<string>(1);
    const next = channel.next();
    await channel.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
    expect(channel.size).toBe(0);
  });

  it('takeQueued returns every waiting item at once and releases producers', async () => {
    const channel = new ChunkChannel<number>(2);
    await channel.push(1);
    const blocked = channel.push(2);
    let released = false;
    void blocked.then(() => {
      released = true;
    });
    await tick();
    expect(released).toBe(false);
    expect(channel.takeQueued()).toEqual([1, 2]);
    await tick();
    expect(released).toBe(true);
  });

  it('push mode tells the writer once per batch, again after takeQueued, and when the channel ends', async () => {
    const channel = new ChunkChannel<number>(8);
    let told = 0;
    channel.onReadable(() => told++);
    expect(told).toBe(0);
    await channel.push(1);
    await channel.push(2);
    expect(told).toBe(1);
    expect(channel.takeQueued()).toEqual([1, 2]);
    expect(channel.ended).toBe(false);
    await channel.push(3);
    expect(told).toBe(2);
    channel.close();
    // Already told for the batch holding 3: the writer sees the end when it takes it.
    expect(told).toBe(2);
    expect(channel.ended).toBe(false);
    expect(channel.takeQueued()).toEqual([3]);
    expect(channel.ended).toBe(true);
    await channel.finished;
  });

  it('takeEach hands the batch over in order, empties it, re-arms push mode and releases producers', async () => {
    const channel = new ChunkChannel<number>(2);
    let told = 0;
    channel.onReadable(() => told++);
    await channel.push(1);
    const blocked = channel.push(2);
    let released = false;
    void blocked.then(() => {
      released = true;
    });
    const taken: number[] = [];
    channel.takeEach((item) => taken.push(item));
    expect(taken).toEqual([1, 2]);
    expect(channel.size).toBe(0);
    await tick();
    expect(released).toBe(true);
    await channel.push(3);
    expect(told).toBe(2);
    channel.close();
    channel.takeEach((item) => taken.push(item));
    expect(taken).toEqual([1, 2, 3]);
    expect(channel.ended).toBe(true);
    await channel.finished;
  });

  it('takeEach drops the rest of a batch when its callback throws, and the channel goes on', async () => {
    const channel = new ChunkChannel<number>(8);
    for (const item of [1, 2, 3]) await channel.push(item);
    const taken: number[] = [];
    expect(() =>
      channel.takeEach((item) => {
        if (item === 2) throw new Error('cannot encode');
        taken.push(item);
      }),
    ).toThrow('cannot encode');
    expect(taken).toEqual([1]);
    expect(channel.size).toBe(0);
    await channel.push(4);
    expect(channel.takeQueued()).toEqual([4]);
  });

  it('push mode tells a writer that arrives late, and tells it of a cancel', async () => {
    const channel = new ChunkChannel<number>(8);
    await channel.push(1);
    let told = 0;
    channel.onReadable(() => told++);
    expect(told).toBe(1);
    channel.takeQueued();
    channel.cancel(new Error('shutdown'));
    expect(told).toBe(2);
    expect(channel.ended).toBe(true);
  });

  it('cancel rejects waiting and later pushes, ends the consumer and calls onCancel once', async () => {
    const reasons: unknown[] = [];
    const channel = new ChunkChannel<number>(2, (reason) => reasons.push(reason));
    await channel.push(1);
    const blocked = channel.push(2);
    const reason = new Error('gone');
    channel.cancel(reason);
    channel.cancel(new Error('again'));
    await expect(blocked).rejects.toBe(reason);
    await expect(channel.push(3)).rejects.toBe(reason);
    expect(await channel.next()).toEqual({ value: undefined, done: true });
    expect(reasons).toEqual([reason]);
  });

  it('a consumer that stops iterating early cancels the channel', async () => {
    const reasons: unknown[] = [];
    const channel = new ChunkChannel<number>(4, (reason) => reasons.push(reason));
    await channel.push(1);
    await channel.push(2);
    for await (const item of channel) {
      expect(item).toBe(1);
      break;
    }
    expect(reasons).toHaveLength(1);
    await expect(channel.push(3)).rejects.toThrow('stopped reading');
  });

  it('pushFinal never waits and close ends after the queued items', async () => {
    const channel = new ChunkChannel<number>(2);
    await channel.push(1);
    channel.pushFinal(2);
    channel.pushFinal(3);
    channel.close();
    const items: number[] = [];
    for await (const item of channel) items.push(item);
    expect(items).toEqual([1, 2, 3]);
  });
});
