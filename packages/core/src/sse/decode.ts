import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SseDecodeError } from './errors.js';
import { createEventSizeGuard } from './event-size-guard.js';

/**
 * One decoded SSE event. `event` and `id` are present only when the event carried them.
 *
 * @example
 * const event: SseEvent = { data: '[DONE]' };
 */
export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
}

/**
 * Callbacks of {@link createSseDecoder}. Exceptions they throw propagate out of `feed`/`end`.
 *
 * @example
 * const handlers: SseDecoderHandlers = { onEvent: (event) => console.log(event.data), onRetry: (ms) => {} };
 */
export interface SseDecoderHandlers {
  onEvent(event: SseEvent): void;
  /** A valid `retry:` line (ASCII digits); invalid ones are ignored, as the spec says. */
  onRetry?(ms: number): void;
  /** A comment line, without the leading `:` and one following space. */
  onComment?(text: string): void;
  /** The stream cannot be decoded further. Without this handler, `feed` throws the error instead. */
  onError?(error: SseDecodeError): void;
}

/**
 * Options of {@link createSseDecoder}.
 *
 * @example
 * createSseDecoder({ onEvent() {} }, { maxBufferBytes: 64 * 1024 } satisfies SseDecoderOptions);
 */
export interface SseDecoderOptions {
  /**
   * Largest event (all its lines up to the blank line, in UTF-8 bytes) the decoder will buffer.
   * A bigger one raises an {@link SseDecodeError}.
   * @default 1048576 (1 MiB)
   */
  maxBufferBytes?: number;
}

/**
 * A push decoder; see {@link createSseDecoder}.
 *
 * @example
 * const decoder: SseDecoder = createSseDecoder({ onEvent: (event) => console.log(event.data) });
 * decoder.feed('data:x\n\n');
 * decoder.end();
 */
export interface SseDecoder {
  /** Decodes the next piece of the stream: bytes (any split, even inside a character) or text. */
  feed(chunk: Uint8Array | string): void;
  /** The stream ended: an event without its terminating blank line is discarded. Ready for a new stream. */
  end(): void;
  /** Forgets everything buffered (e.g. before reconnecting); ready for a new stream. */
  reset(): void;
}

const DEFAULT_MAX_BUFFER_BYTES = 1024 * 1024;
const BOM = 0xfeff;
const CR = 13;

/**
 * Creates a push decoder for a `text/event-stream`, built on `eventsource-parser`. Runs in browsers and
 * Node alike. Takes LF, CR and CRLF line endings (even a CRLF split across chunks), `data:x` and
 * `data: x`, and strips one BOM at the very start. Unknown fields and invalid `retry` values are ignored.
 * After an error, `feed` ignores input until `reset()` or `end()`.
 *
 * @example
 * const decoder = createSseDecoder({ onEvent: (event) => console.log(event.data) });
 * decoder.feed(new TextEncoder().encode('data:{"chunk":"Hel"}\n\ndata:[DONE]\n\n'));
 * decoder.end();
 */
export function createSseDecoder(handlers: SseDecoderHandlers, options?: SseDecoderOptions): SseDecoder {
  const maxBufferBytes = options?.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES;
  if (!(maxBufferBytes > 0)) {
    throw new RangeError(`maxBufferBytes must be a positive number, got ${maxBufferBytes}`);
  }
  const guard = createEventSizeGuard(maxBufferBytes);
  // ignoreBOM: the BOM is stripped below, once, whether the stream arrives as bytes or as text.
  const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const parser = createParser({
    onEvent: (message) => handlers.onEvent(toSseEvent(message)),
    onRetry: (ms) => handlers.onRetry?.(ms),
    // Without onComment the parser skips comment lines without slicing them.
    onComment: handlers.onComment ? (text) => handlers.onComment?.(text) : undefined,
  });

  let atStart = true;
  let bytesPending = false; // the text decoder may hold the first bytes of a character
  let endsWithCR = false;
  let failed = false;

  function push(text: string): void {
    if (text === '' || failed) return;
    if (atStart) {
      atStart = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
      if (text === '') return;
    }
    const overflowAt = guard.scan(text);
    if (overflowAt === -1) {
      parser.feed(text);
      endsWithCR = text.charCodeAt(text.length - 1) === CR;
      return;
    }
    if (overflowAt > 0) parser.feed(text.slice(0, overflowAt));
    fail(
      new SseDecodeError(`SSE event larger than ${maxBufferBytes} bytes without a terminating blank line`),
    );
  }

  function fail(error: SseDecodeError): void {
    failed = true;
    parser.reset();
    if (handlers.onError) handlers.onError(error);
    else throw error;
  }

  function reset(): void {
    textDecoder.decode(); // drops any partial character
    parser.reset();
    guard.reset();
    atStart = true;
    bytesPending = false;
    endsWithCR = false;
    failed = false;
  }

  return {
    feed(chunk) {
      if (failed) return;
      if (typeof chunk === 'string') {
        if (bytesPending) push(textDecoder.decode());
        bytesPending = false;
        push(chunk);
      } else {
        bytesPending = true;
        push(textDecoder.decode(chunk, { stream: true }));
      }
    },
    end() {
      try {
        if (bytesPending) push(textDecoder.decode());
        // The parser holds a final CR in case an LF follows; at the end of the stream it is a line break.
        if (endsWithCR && !failed) parser.feed('\n');
      } finally {
        reset(); // discards an event that lacks its blank line
      }
    },
    reset,
  };
}

function toSseEvent(message: EventSourceMessage): SseEvent {
  const event: SseEvent = { data: message.data };
  if (message.event !== undefined) event.event = message.event;
  if (message.id !== undefined) event.id = message.id;
  return event;
}
