/**
 * What a call that ran out of time rejects with (see {@link withDeadline}).
 *
 * @example
 * if (error instanceof DeadlineError) console.log('the server took too long');
 */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/**
 * `work`'s outcome, unless `signal` aborts first (rejects with its reason) or `ms` pass (rejects with
 * a {@link DeadlineError}): a server that never answers cannot hang the caller. `work` itself goes on;
 * the caller closes what it was using.
 *
 * @example
 * const tools = await withDeadline(client.listTools(), 30_000, signal);
 */
export function withDeadline<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), Math.max(0, ms));
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, stop]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}
