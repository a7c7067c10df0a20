import { readFileSync } from 'node:fs';
import type { FlowChunk } from '../src/index.js';

/** A recorded stream from test/fixtures, as bytes. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The same stream with every LF replaced by `ending` (CRLF or CR). */
export function withLineEnding(bytes: Uint8Array, ending: '\r\n' | '\r'): Uint8Array {
  return encode(decode(bytes).replaceAll('\n', ending));
}

/** Cuts `bytes` at the given offsets. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

export const oneByteAtATime = (bytes: Uint8Array): Uint8Array[] =>
  Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export interface FakeFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** True once the client cancelled the response body. */
  readonly cancelled: boolean;
}

/**
 * A `fetch` that answers every request with a real `Response` whose body is a ReadableStream giving
 * `pieces` one per read (so the client sees exactly this chunking), and `error` after them if set.
 */
export function fakeFetch(
  pieces: Uint8Array[],
  init: { status?: number; headers?: Record<string, string>; error?: Error } = {},
): FakeFetch {
  const requests: RecordedRequest[] = [];
  let cancelled = false;
  const fake: FakeFetch = {
    requests,
    get cancelled() {
      return cancelled;
    },
    fetch: async (input, requestInit) => {
      requests.push({
        url: String(input),
        method: requestInit?.method ?? 'GET',
        headers: new Headers(requestInit?.headers),
        body: requestInit?.body as string | undefined,
        signal: requestInit?.signal ?? undefined,
      });
      let index = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (index < pieces.length) controller.enqueue(pieces[index++]!);
          else if (init.error) controller.error(init.error);
          else controller.close();
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body, {
        status: init.status ?? 200,
        headers: init.headers ?? { 'content-type': 'text/event-stream; charset=utf-8' },
      });
    },
  };
  return fake;
}

/** Python truthiness, as FlowLLM's client tests `if content:`. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * FlowLLM 0.2's `execute_stream_flow` reader over a whole LF body, line by line (the reference the
 * client is compared with): lines starting with `data:`, stop at `[DONE]`, skip non-JSON, keep chunks.
 */
export function flowllmReference(text: string): { chunks: Record<string, unknown>[]; yielded: unknown[] } {
  const chunks: Record<string, unknown>[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') break;
    try {
      chunks.push(JSON.parse(data));
    } catch {}
  }
  const yielded = chunks
    .filter((chunk) => truthy(chunk.chunk))
    .map((chunk) => ({ type: chunk.chunk_type, content: chunk.chunk }));
  return { chunks, yielded };
}

/** Reads a stream to its end, handing each chunk to `each` as it comes. */
export async function collect(stream: AsyncIterable<FlowChunk>, each?: (chunk: FlowChunk) => void) {
  const chunks: FlowChunk[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    each?.(chunk);
  }
  return chunks;
}

/** The chunks' contents joined: the answer text. */
export const answer = (chunks: FlowChunk[]) => chunks.map((chunk) => chunk.content).join('');
