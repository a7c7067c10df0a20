/** Heap and RSS in bytes, after a full garbage collection. */
export interface MemorySample {
  heapUsed: number;
  rss: number;
  external: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with `--expose-gc` (the suite's vitest config and runner set it). */
export function canCollect(): boolean {
  return typeof gc === 'function';
}

/** Collects garbage until the heap stops shrinking (finalizers and weak refs need several passes). */
export async function settledMemory(): Promise<MemorySample> {
  if (!gc) throw new Error('global.gc is missing: run node with --expose-gc (see vitest.config.ts)');
  let last = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 6; pass++) {
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    const heap = process.memoryUsage().heapUsed;
    if (heap >= last - 64 * 1024) break;
    last = heap;
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external };
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
