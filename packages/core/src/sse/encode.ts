import type { FlowStreamChunk } from '../chunk.js';
import { SseEncodeError } from './errors.js';

/**
 * The fields of one SSE event, as the encoder takes them.
 *
 * @example
 * const event: SseEventInit = { event: 'delta', id: '7', data: 'Hel' };
 */
export interface SseEventInit {
  /** Payload; may span lines (CR, LF and CRLF each start a new `data:` line). */
  data?: string;
  /** Event type; no CR or LF. */
  event?: string;
  /** Event id (becomes the client's Last-Event-ID); no CR, LF or NUL. */
  id?: string;
  /** Reconnection delay in milliseconds; a non-negative safe integer. */
  retry?: number;
}

/**
 * Options of {@link encodeSseEvent}.
 *
 * @example
 * encodeSseEvent({ data: 'x' }, { space: true } satisfies SseEncodeOptions); // "data: x\n\n"
 */
export interface SseEncodeOptions {
  /**
   * Write `data: x` instead of FlowLLM's `data:x`. Both decode the same.
   * @default false
   */
  space?: boolean;
}

const SPACE = 32;
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * FlowLLM's terminal frame: every stream ends with it.
 *
 * @example
 * response.end(SSE_DONE); // "data:[DONE]\n\n"
 */
export const SSE_DONE = 'data:[DONE]\n\n';

/**
 * A heartbeat comment; clients ignore it, proxies see traffic (send one every ≤ 15 s while idle).
 *
 * @example
 * const timer = setInterval(() => response.write(SSE_HEARTBEAT), 15_000);
 */
export const SSE_HEARTBEAT = ': ping\n\n';

/**
 * Encodes one SSE event, ending with the blank line that dispatches it. Lines come in the order
 * `event`, `id`, `retry`, `data`. Without `space`, writes FlowLLM's `data:x`; a value that starts with a
 * space is still written as `data: ` + value, since parsers strip one space after the colon.
 *
 * An event without `data` is written as asked (`id:7\n\n` updates the client's last event id,
 * `retry:3000\n\n` its reconnection delay), but clients never dispatch it: give terminal events a `data:`.
 *
 * @throws {SseEncodeError} CR/LF in `event` or `id`, NUL in `id`, or a `retry` that is not a
 * non-negative safe integer.
 * @example
 * encodeSseEvent({ data: 'a\nb' }); // "data:a\ndata:b\n\n"
 * encodeSseEvent({ event: 'end', id: '7', data: '' }, { space: true }); // "event: end\nid: 7\ndata: \n\n"
 */
export function encodeSseEvent(event: SseEventInit, options?: SseEncodeOptions): string {
  const space = options?.space === true;
  let frame = '';
  if (event.event !== undefined) {
    refuseLineBreaks('event', event.event);
    frame += fieldLine('event', event.event, space);
  }
  if (event.id !== undefined) {
    refuseLineBreaks('id', event.id);
    if (event.id.indexOf('\0') !== -1) throw new SseEncodeError('id', 'must not contain NUL');
    frame += fieldLine('id', event.id, space);
  }
  if (event.retry !== undefined) {
    if (!Number.isSafeInteger(event.retry) || event.retry < 0) {
      throw new SseEncodeError('retry', `must be a non-negative safe integer, got ${event.retry}`);
    }
    frame += fieldLine('retry', String(event.retry), space);
  }
  if (event.data !== undefined) frame += dataLines(event.data, space);
  return `${frame}\n`;
}

/**
 * Encodes a comment (ignored by clients), e.g. a heartbeat or a first write that flushes headers.
 *
 * @throws {SseEncodeError} the text contains CR or LF.
 * @example
 * encodeSseComment('ping'); // ": ping\n\n"
 * encodeSseComment(); // ":\n\n"
 */
export function encodeSseComment(text = ''): string {
  refuseLineBreaks('comment', text);
  return text === '' ? ':\n\n' : `: ${text}\n\n`;
}

/**
 * Encodes one chunk exactly as FlowLLM does: `data:` + compact JSON + blank line. `id` and `event`
 * lines, when given, come first (FlowLLM's client ignores them).
 *
 * @throws {SseEncodeError} CR/LF in `event` or `id`, NUL in `id`.
 * @example
 * encodeChunkEvent(createChunk('3f2a', 'answer', 'Hel'));
 * // 'data:{"flow_id":"3f2a","chunk_type":"answer","chunk":"Hel","done":false,"metadata":{}}\n\n'
 */
export function encodeChunkEvent(chunk: FlowStreamChunk, options?: { id?: string; event?: string }): string {
  // FlowLLM never writes its internal done chunk: it becomes the literal [DONE] frame.
  if (chunk.chunk_type === 'done' && options === undefined) return SSE_DONE;
  const json = JSON.stringify(chunk);
  // JSON.stringify escapes CR and LF, so this holds; the check keeps the fast path safe if it ever does not.
  if (options === undefined && json.indexOf('\n') === -1 && json.indexOf('\r') === -1) {
    return `data:${json}\n\n`;
  }
  return encodeSseEvent({ event: options?.event, id: options?.id, data: json });
}

function fieldLine(name: string, value: string, space: boolean): string {
  // A leading space in the value would be eaten by the parser's one-space strip unless we add our own.
  return space || value.charCodeAt(0) === SPACE ? `${name}: ${value}\n` : `${name}:${value}\n`;
}

function dataLines(data: string, space: boolean): string {
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return fieldLine('data', data, space);
  // Split on CR too: a raw CR ends the line for every SSE parser (injection otherwise).
  let lines = '';
  for (const piece of data.split(LINE_BREAK)) lines += fieldLine('data', piece, space);
  return lines;
}

function refuseLineBreaks(field: string, value: string): void {
  if (value.indexOf('\n') !== -1 || value.indexOf('\r') !== -1) {
    throw new SseEncodeError(field, 'must not contain CR or LF');
  }
}
