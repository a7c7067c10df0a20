// A body a host parser already read (express.json() with its own, larger limit; a chunked body has no
// Content-Length to check) is measured here, so http.body_limit holds on that path too.

/**
 * Whether a body a host parsed is larger than `limit` bytes: bytes and text by their UTF-8 length, a
 * parsed value by the length of its compact JSON. The walk stops as soon as the count passes the limit,
 * so the work is bounded by the limit, not by the body.
 *
 * @example
 * parsedBodyExceeds({ query: 'x'.repeat(200) }, 100); // true
 */
export function parsedBodyExceeds(parsed: unknown, limit: number): boolean {
  if (parsed instanceof Uint8Array) return parsed.byteLength > limit;
  if (typeof parsed === 'string') return parsed.length > limit || encodedLength(parsed, false) > limit;
  let size = 0;
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      // Each UTF-16 unit is at least one byte: a string longer than what is left is over at once.
      size += value.length > limit - size ? value.length : encodedLength(value, true);
    } else if (Array.isArray(value)) {
      // Brackets and commas first, so a huge array stops the walk before its items are queued.
      size += Math.max(value.length + 1, 2);
      // One at a time: spreading a list of 100k+ items into push() overflows the stack.
      if (size <= limit) for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      // Braces, commas and colons.
      size += Math.max(2 * keys.length + 1, 2);
      if (size > limit) return true;
      for (const key of keys) pending.push(key, (value as Record<string, unknown>)[key]);
    } else {
      size += String(value ?? null).length;
    }
    if (size > limit) return true;
  }
  return false;
}

/**
 * The UTF-8 length of `text`, or with `asJson` of `text` as a quoted JSON string (each escape counted
 * at its shortest, two bytes: the count never passes the raw body's size).
 */
function encodedLength(text: string, asJson: boolean): number {
  let length = asJson ? 2 : 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += asJson && (code < 0x20 || code === 0x22 || code === 0x5c) ? 2 : 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      // A surrogate pair is one 4-byte character.
      length += 4;
      i++;
    } else length += 3; // A lone surrogate becomes U+FFFD: 3 bytes.
  }
  return length;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
