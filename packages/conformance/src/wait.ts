// Waiting on conditions, with bounds that only catch hangs. No imports: core's tests use this file
// directly (core cannot depend on @flowllm/conformance).

/**
 * A time bound that only catches hangs: what it guards takes milliseconds, but on a loaded 2-core
 * machine (CI beside other jobs) an event loop can stall for hundreds of ms.
 */
export const HANG_MS = 10_000;

/** Resolves with `promise`'s value; fails with `what` if it takes longer than `timeoutMs` (a hang guard). */
export async function settles<T>(promise: Promise<T>, what: string, timeoutMs = HANG_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every `everyMs` (5 ms); fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  { everyMs = 5 }: { everyMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
