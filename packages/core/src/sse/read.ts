import { createSseDecoder, type SseEvent } from './decode.js';
import type { SseDecodeError } from './errors.js';

/**
 * Options of {@link readSseEvents}.
 *
 * @example
 * readSseEvents(response.body!, { signal: AbortSignal.timeout(60_000), maxBufferBytes: 256 * 1024 });
 */
export interface ReadSseEventsOptions {
  /**
   * Stops reading: the iterator throws `signal.reason` and the body is cancelled.
   * @default none
   */
  signal?: AbortSignal;
  /** See {@link SseDecoderOptions.maxBufferBytes}. @default 1048576 (1 MiB) */
  maxBufferBytes?: number;
}

type Body = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

interface ChunkSource {
  next(): Promise<IteratorResult<Uint8Array | string>>;
  cancel(reason: unknown): void;
}

/**
 * Reads the events of a `text/event-stream` body: fetch's `response.body` (Node and browsers) or any
 * async iterable of bytes, such as a Node stream. An event without its blank line at the end is
 * discarded. Leaving the loop early, an error, or an abort cancels the body.
 *
 * @throws {SseDecodeError} an event exceeds `maxBufferBytes`.
 * @example
 * const response = await fetch(url, { method: 'POST', body: JSON.stringify({ query: 'hi' }) });
 * for await (const event of readSseEvents(response.body!)) {
 *   const flowEvent = parseFlowEvent(event.data);
 *   if (flowEvent?.done) break;
 *   if (flowEvent) console.log(flowEvent.chunk.chunk);
 * }
 */
export async function* readSseEvents(
  body: Body,
  options?: ReadSseEventsOptions,
): AsyncGenerator<SseEvent, void, undefined> {
  const signal = options?.signal;
  signal?.throwIfAborted();
  const queue: SseEvent[] = [];
  let failure: SseDecodeError | undefined;
  const decoder = createSseDecoder(
    {
      onEvent: (event) => queue.push(event),
      onError: (error) => {
        failure ??= error;
      },
    },
    { maxBufferBytes: options?.maxBufferBytes },
  );
  const source = openSource(body);
  let finished = false;
  try {
    while (!finished) {
      const result = await nextOrAbort(source, signal);
      if (result.done) {
        finished = true;
        decoder.end();
      } else {
        decoder.feed(result.value);
      }
      for (let index = 0; index < queue.length; index++) {
        signal?.throwIfAborted();
        yield queue[index]!;
      }
      queue.length = 0;
      if (failure) throw failure;
    }
  } finally {
    if (!finished) source.cancel(signal?.reason);
  }
}

function openSource(body: Body): ChunkSource {
  if ('getReader' in body) {
    const reader = body.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      cancel: (reason) => {
        reader.cancel(reason).catch(() => {});
      },
    };
  }
  const iterator = body[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    // Not awaited: an async generator queues return() behind a pending next().
    cancel: () => {
      iterator.return?.().catch(() => {});
    },
  };
}

/** Waits for the next chunk, or rejects with the abort reason as soon as the signal fires. */
function nextOrAbort(source: ChunkSource, signal: AbortSignal | undefined) {
  if (signal === undefined) return source.next();
  signal.throwIfAborted();
  return new Promise<IteratorResult<Uint8Array | string>>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    source.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
