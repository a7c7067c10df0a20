import { afterEach, describe, expect, it, vi } from 'vitest';
import { Heartbeats } from '../../src/http/heartbeat.js';

// A stream entry as the pump makes one: writers only set `wrote`.
function stream() {
  const pings: number[] = [];
  return {
    pings,
    entry: { wrote: false, quietSince: performance.now(), write: () => pings.push(performance.now()) },
  };
}

describe('Heartbeats', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pings an idle stream once per interval, and never one that keeps writing', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const heartbeats = new Heartbeats(1000);
    const idle = stream();
    const busy = stream();
    heartbeats.add(idle.entry);
    heartbeats.add(busy.entry);
    for (let ms = 0; ms < 10_000; ms += 50) {
      busy.entry.wrote = true; // a write every 50 ms
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(busy.pings).toEqual([]);
    // The silence between pings stays between 0.75 and 1.25 intervals.
    expect(idle.pings.length).toBeGreaterThanOrEqual(8);
    const gaps = idle.pings.slice(1).map((at, i) => at - idle.pings[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(750);
      expect(gap).toBeLessThanOrEqual(1250);
    }
  });

  it('pings a stream that stopped writing within 1.25 intervals of its last write', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const heartbeats = new Heartbeats(1000);
    const s = stream();
    heartbeats.add(s.entry);
    await vi.advanceTimersByTimeAsync(600);
    s.entry.wrote = true;
    const lastWrite = performance.now();
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.pings[0]! - lastWrite).toBeGreaterThanOrEqual(750);
    expect(s.pings[0]! - lastWrite).toBeLessThanOrEqual(1250);
  });

  it('stops its timer when the last stream leaves, and sends nothing with an interval of 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const heartbeats = new Heartbeats(1000);
    const s = stream();
    const other = stream();
    heartbeats.add(s.entry);
    heartbeats.add(other.entry);
    expect(vi.getTimerCount()).toBe(1);
    heartbeats.remove(s.entry);
    expect(vi.getTimerCount()).toBe(1);
    heartbeats.remove(other.entry);
    expect(vi.getTimerCount()).toBe(0);
    heartbeats.remove(other.entry); // twice is harmless
    const off = new Heartbeats(0);
    off.add(s.entry);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.pings).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
