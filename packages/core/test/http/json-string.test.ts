import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { framedJsonString, SEARCH_FROM_CHARS } from '../../src/http/json-string.js';

const BEFORE = 'data:{"flow_id":"f","chunk":';
const AFTER = ',"done":false,"metadata":{}}\n\n';
const reference = (text: string) => BEFORE + JSON.stringify(text) + AFTER;

// Long texts (past the search threshold) with one character JSON escapes, or none, at any place.
const filler = fc.constantFrom('x', 'é', '🙂', 'ab ', '\u2028', '\u007f');
const special = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('"', '\\', '\uD800', '\uDC00', '\uD83D\uDE42', ''),
);
const longText = fc
  .record({
    fill: filler,
    length: fc.integer({ min: SEARCH_FROM_CHARS, max: 3 * SEARCH_FROM_CHARS }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    special,
  })
  .map(({ fill, length, at, special }) => {
    const base = fill.repeat(Math.ceil(length / fill.length));
    const cut = Math.floor(at * base.length);
    return base.slice(0, cut) + special + base.slice(cut);
  });

afterEach(() => vi.restoreAllMocks());

describe('framedJsonString', () => {
  it('equals before + JSON.stringify(text) + after for long text, with or without a character to escape', () => {
    fc.assert(
      fc.property(longText, (text) => {
        expect(framedJsonString(BEFORE, text, AFTER)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('equals it for short text and at the edges of the text', () => {
    for (const text of ['', 'hi', '"', '\n', 'x'.repeat(SEARCH_FROM_CHARS - 1)]) {
      expect(framedJsonString(BEFORE, text, AFTER)).toBe(reference(text));
    }
    const long = 'x'.repeat(SEARCH_FROM_CHARS);
    for (const text of [`"${long}`, `${long}"`, `\\${long}`, `${long}\\`, `${long}\n`, `\u0000${long}`]) {
      expect(framedJsonString(BEFORE, text, AFTER)).toBe(reference(text));
    }
    // A lone surrogate at either end, next to the quotes.
    for (const text of [`\uD83D${long}`, `${long}\uD83D`, `\uDE42${long}`, `${long}\uDE42`]) {
      expect(framedJsonString(BEFORE, text, AFTER)).toBe(reference(text));
    }
  });

  it('quotes long text that needs no escaping without running JSON.stringify over it', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const clean = `~1~${'x'.repeat(16 * 1024)}`;
    expect(framedJsonString(BEFORE, clean, AFTER)).toBe(`${BEFORE}"${clean}"${AFTER}`);
    expect(stringify).not.toHaveBeenCalled();
    // Text that needs escaping still goes through it.
    expect(framedJsonString(BEFORE, `${clean}\n`, AFTER)).toContain('x\\n"');
    expect(stringify).toHaveBeenCalledTimes(1);
  });
});
