import { createParser } from 'eventsource-parser';
import { FlowClientError } from './errors.js';
import type { FlowChunk, FlowStreamChunk } from './types.js';

const DONE = '[DONE]';

/**
 * Reads the chunks of a FlowLLM `text/event-stream` body until `data:[DONE]`, then cancels the body.
 * Takes `data:x` and `data: x`, LF/CR/CRLF line endings (split anywhere), characters split across reads,
 * comments, `id:` and `event:` lines. Data that is not a JSON object is skipped, as FlowLLM's client does;
 * an event whose data has several lines that are not one JSON value is read line by line, as FlowLLM's
 * line-based client would. Throws a `truncated` {@link FlowClientError} when the body ends or breaks
 * before `[DONE]`, and when one event grows past `maxEventSize` characters (default 1 MiB); rejects with
 * `signal.reason` when `signal` (the one given to `fetch`) aborts the read.
 *
 * @example
 * for await (const chunk of readFlowChunks(response.body!, { signal })) console.log(chunk.type, chunk.content);
 */
export function readFlowChunks(
  body: ReadableStream<Uint8Array>,
  options: { signal?: AbortSignal; maxEventSize?: number } = {},
): AsyncGenerator<FlowChunk, void, undefined> {
  return readChunks(body, options);
}

/** What a resumable read learns besides the chunks (internal: the resume loop of the client). */
export interface EventHooks {
  /** Called with an event's `id:` before its chunks; false skips the event (already seen). */
  onId?(id: string): boolean;
  /** The server's `retry:` hint, in ms. */
  onRetry?(ms: number): void;
}

/** Errors that mean the connection dropped (worth a reconnect), not a bad answer. */
export const dropped = new WeakSet<object>();

/** {@link readFlowChunks}, with the hooks a resumable read needs. */
export async function* readChunks(
  body: ReadableStream<Uint8Array>,
  options: { signal?: AbortSignal; maxEventSize?: number },
  hooks: EventHooks = {},
): AsyncGenerator<FlowChunk, void, undefined> {
  const { signal, maxEventSize = 1 << 20 } = options;
  const reader = body.getReader();
  const decoder = new TextDecoder(); // strips a leading BOM
  const events: { id?: string | undefined; data: string }[] = [];
  let dispatched = false;
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      dispatched = true;
    },
    onComment: () => {
      dispatched = true;
    },
    onRetry: hooks.onRetry,
  });
  let pending = 0; // characters fed since the last event or comment
  let endsWithCR = false;
  let ended = false;
  try {
    while (!ended) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await readOrAbort(reader, signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        throw drop(`the stream broke before [DONE]: ${(error as Error)?.message ?? error}`, error);
      }
      ended = read.done;
      let text = read.done ? decoder.decode() : decoder.decode(read.value, { stream: true });
      // The parser keeps a final CR in case an LF follows; at the end of the stream it ends the line.
      if (read.done && endsWithCR) text += '\n';
      if (text !== '') {
        dispatched = false;
        parser.feed(text);
        endsWithCR = text.charCodeAt(text.length - 1) === 13;
        pending = dispatched ? 0 : pending + text.length;
        if (pending > maxEventSize) throw truncated(`an SSE event exceeds ${maxEventSize} characters`);
      }
      for (const { id, data } of events.splice(0)) {
        if (id !== undefined && hooks.onId?.(id) === false) continue;
        for (const chunk of parseData(data)) {
          if (chunk === DONE) return;
          yield chunk;
        }
      }
    }
    throw drop('the stream ended before data:[DONE]');
  } finally {
    if (!ended) reader.cancel().catch(() => {});
  }
}

/** The next read, or a rejection with the abort reason as soon as `signal` fires (whatever `fetch` does). */
function readOrAbort(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal | undefined,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (!signal) return reader.read();
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    reader
      .read()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function truncated(message: string, cause?: unknown): FlowClientError {
  return new FlowClientError('truncated', message, { status: 200, cause });
}

function drop(message: string, cause?: unknown): FlowClientError {
  const error = truncated(message, cause);
  dropped.add(error);
  return error;
}

/** The chunks (and `[DONE]`) of one event's data. */
function parseData(data: string): (FlowChunk | typeof DONE)[] {
  const whole = parseLine(data);
  if (whole !== undefined || !data.includes('\n')) return whole === undefined ? [] : [whole];
  const found: (FlowChunk | typeof DONE)[] = [];
  for (const line of data.split('\n')) {
    const item = parseLine(line);
    if (item !== undefined) found.push(item);
    if (item === DONE) break;
  }
  return found;
}

function parseLine(text: string): FlowChunk | typeof DONE | undefined {
  const trimmed = text.trim();
  if (trimmed === DONE) return DONE;
  if (trimmed[0] !== '{') return undefined;
  let value: FlowStreamChunk;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  return { ...value, type: value.chunk_type, content: value.chunk };
}
