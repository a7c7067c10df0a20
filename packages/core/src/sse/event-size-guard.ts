const CR = 13;
const LF = 10;

/**
 * Tracks how many UTF-8 bytes the event being received holds (all its lines, comments included, line
 * breaks excluded); a blank line resets the count. The decoder checks text here before handing it to
 * the parser, so a stream that never ends its line or event cannot grow memory without bound, and the
 * outcome does not depend on how the stream was chunked.
 *
 * @example
 * const guard = createEventSizeGuard(1024);
 * guard.scan('data:hello\n\n'); // -1: everything fits
 */
export interface EventSizeGuard {
  /** Returns the index in `text` where the limit is crossed (feed only what comes before), or -1. */
  scan(text: string): number;
  reset(): void;
}

/**
 * Creates an {@link EventSizeGuard} for events of at most `maxBytes` UTF-8 bytes.
 *
 * @example
 * const guard = createEventSizeGuard(4);
 * guard.scan('data:x'); // 0: the first line is already 6 bytes
 */
export function createEventSizeGuard(maxBytes: number): EventSizeGuard {
  let eventBytes = 0;
  let lineIsEmpty = true;
  // The previous text ended with CR: an LF at the start of the next one is the rest of a CRLF.
  let afterCR = false;

  function scan(text: string): number {
    let index = 0;
    if (afterCR && text.length > 0) {
      afterCR = false;
      if (text.charCodeAt(0) === LF) index = 1;
    }
    let nextCR = text.indexOf('\r', index);
    let nextLF = text.indexOf('\n', index);
    while (index < text.length) {
      if (nextCR !== -1 && nextCR < index) nextCR = text.indexOf('\r', index);
      if (nextLF !== -1 && nextLF < index) nextLF = text.indexOf('\n', index);
      const lineEnd = firstOf(firstOf(nextCR, nextLF), text.length);
      if (lineEnd > index) {
        eventBytes += utf8ByteLength(text, index, lineEnd);
        lineIsEmpty = false;
        if (eventBytes > maxBytes) return index;
      }
      if (lineEnd === text.length) break;
      if (lineIsEmpty) eventBytes = 0; // a blank line ends the event
      lineIsEmpty = true;
      index = lineEnd + 1;
      if (text.charCodeAt(lineEnd) === CR) {
        if (index === text.length) afterCR = true;
        else if (text.charCodeAt(index) === LF) index++;
      }
    }
    return -1;
  }

  function reset(): void {
    eventBytes = 0;
    lineIsEmpty = true;
    afterCR = false;
  }

  return { scan, reset };
}

/** The smaller of two indexes, where -1 means "not found". */
function firstOf(a: number, b: number): number {
  if (a === -1) return b;
  if (b === -1) return a;
  return Math.min(a, b);
}

/** UTF-8 length of `text[start, end)`; each half of a surrogate pair counts 2 (4 for the pair). */
function utf8ByteLength(text: string, start: number, end: number): number {
  let bytes = end - start;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
