import type { Exchange } from './server.js';

/** The provider-specific frames the writer needs for faults. */
export interface FaultFrames {
  /** An event whose data is not valid JSON. */
  invalid: string;
  /** The provider's in-stream error event. */
  error(message: string | undefined): string;
}

/** How {@link writeEvents} answers: the response headers, and the provider's fault frames. */
export interface WriteEventsOptions {
  headers: Record<string, string>;
  faults: FaultFrames;
}

/**
 * Writes a stream's SSE frames one by one (pausing `delayMs` before each), applying the reply's
 * event-counted faults. Stops as soon as the client goes away.
 */
export async function writeEvents(
  exchange: Exchange,
  frames: string[],
  { headers, faults }: WriteEventsOptions,
): Promise<void> {
  const { reply, response } = exchange;
  response.writeHead(200, { ...headers, ...reply.headers });
  response.flushHeaders();
  let written: Promise<void> = Promise.resolve();
  const write = (text: string) => {
    written = new Promise((resolve) => response.write(text, () => resolve()));
  };
  for (let sent = 0; ; sent++) {
    if (exchange.isClosed()) return;
    if (reply.drop === sent) {
      // What was sent reaches the client first; then the connection is cut without a terminator.
      await written;
      response.destroy();
      return;
    }
    if (reply.hang === sent) return;
    if (reply.invalidJson === sent) write(faults.invalid);
    if (reply.streamError === sent) {
      response.end(faults.error(reply.message));
      return;
    }
    if (reply.truncate === sent || sent === frames.length) {
      response.end();
      return;
    }
    if (reply.delayMs) {
      await Promise.race([pause(reply.delayMs), exchange.closed]);
      if (exchange.isClosed()) return;
    }
    write(frames[sent] ?? '');
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Splits text into word pieces that keep their leading whitespace (`'a b'` → `['a', ' b']`). */
export function pieces(text: string | string[] | undefined): string[] {
  if (text === undefined) return [];
  if (Array.isArray(text)) return text;
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Splits a JSON text into short fragments, as providers stream tool arguments. */
export function fragments(text: string, size = 8): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

/** The arguments text of a scripted tool call. */
export function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

let counter = 0;
/** A short unique id for response and tool-call ids. */
export function localId(): string {
  counter++;
  return `${Date.now().toString(36)}${counter.toString(36)}`;
}

/** Words in the text of messages (or of a string): a stand-in for a tokenizer. */
export function promptTokens(value: unknown): number {
  const texts: string[] = [];
  const walk = (item: unknown): void => {
    if (typeof item === 'string') texts.push(item);
    else if (Array.isArray(item)) item.forEach(walk);
    else if (item && typeof item === 'object') {
      const { content, text } = item as { content?: unknown; text?: unknown };
      walk(content);
      walk(text);
    }
  };
  walk(value);
  return texts.join(' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
