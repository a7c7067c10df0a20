import { describe, expect, it } from 'vitest';
import { errorBodyCode, REDACT_MAX_LENGTH, redact } from '../../src/models/upstream-details.js';

// Its base64 has `+` and `/` at every byte offset, so the url-safe alphabet differs.
const KEY = 'sk-live-ab?>~ab?>~xyz012345';
const urlSafe = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_');
/** The key's base64 after `offset` other bytes, as it appears inside a longer encoded string. */
const encodedAt = (offset: number) => btoa(`${'u:'.slice(0, offset)}${KEY}`);

describe('redact() removes the API key in every shape a provider or proxy echoes it', () => {
  it('the key itself, and in any letter case', () => {
    expect(redact(`bad key ${KEY}.`, KEY)).toBe('bad key [redacted].');
    expect(redact(`bad key ${KEY.toUpperCase()}.`, KEY)).toBe('bad key [redacted].');
    expect(redact(`bad key Sk-LiVe-AB?>~aB?>~XYZ012345.`, KEY)).toBe('bad key [redacted].');
  });

  it('any run of 8 or more of its characters: a prefix, a suffix, a middle piece', () => {
    expect(redact(`Incorrect API key provided: ${KEY.slice(0, 8)}...`, KEY)).toBe(
      'Incorrect API key provided: [redacted]...',
    );
    expect(redact(`key ending ${KEY.slice(-8)}`, KEY)).toBe('key ending [redacted]');
    expect(redact(`key ${KEY.slice(0, 12).toUpperCase()}…${KEY.slice(-9)}`, KEY)).toBe(
      'key [redacted]…[redacted]',
    );
    // Seven characters are not told apart from ordinary text.
    expect(redact(`key ${KEY.slice(0, 7)}`, KEY)).toBe(`key ${KEY.slice(0, 7)}`);
  });

  it('base64, standard and url-safe, at each of the three byte offsets', () => {
    for (const offset of [0, 1, 2]) {
      const encoded = encodedAt(offset);
      for (const form of [encoded, urlSafe(encoded)]) {
        const result = redact(`Authorization: Basic ${form}`, KEY);
        expect(result).toContain('[redacted]');
        // At most the characters that share bits with the bytes around the key are left.
        expect(
          result.replace('Authorization: Basic ', '').replace('[redacted]', '').length,
        ).toBeLessThanOrEqual(6);
      }
    }
    expect(encodedAt(0)).toContain('+');
    expect(encodedAt(1)).toContain('/');
  });

  it('inside Basic base64(user:key)', () => {
    const header = `Basic ${btoa(`someone:${KEY}`)}`;
    const result = redact(`refused ${header}`, KEY);
    expect(result).toMatch(/^refused Basic c29tZW9uZT[A-Za-z0-9+/]{0,2}\[redacted\][A-Za-z0-9+/=]{0,4}$/);
  });

  it('masked echoes (sk-ab***wxyz) of any key', () => {
    expect(redact('Incorrect API key provided: sk-ab***wxyz.', undefined)).toBe(
      'Incorrect API key provided: [redacted]',
    );
    expect(redact('rating: *** stars', undefined)).toBe('rating: *** stars');
  });

  it("credentials in a URL: a proxy's user:password, tokens and keys in the query string", () => {
    const text =
      'connect ECONNREFUSED http://proxyuser:Hunter2Pass@127.0.0.1:1/v1?token=QueryToken1&x=1 ' +
      'and https://h.example/v1?api-version=2024-10&api-key=AzureKey99#frag';
    expect(redact(text, undefined)).toBe(
      'connect ECONNREFUSED http://[redacted]@127.0.0.1:1/v1?token=[redacted]&x=1 ' +
        'and https://h.example/v1?api-version=2024-10&api-key=[redacted]#frag',
    );
  });

  it('leaves text without the key alone, and keys under 4 characters are not searched for', () => {
    expect(redact('The model does not exist', KEY)).toBe('The model does not exist');
    expect(redact('a b c', 'a')).toBe('a b c');
  });

  it('stays bounded: a megabyte of text is cut to REDACT_MAX_LENGTH, with no piece of the key left', () => {
    const huge = `${'x'.repeat(REDACT_MAX_LENGTH - 4)}${KEY}${`${KEY} `.repeat(40_000)}`;
    const result = redact(huge, KEY);
    // The first REDACT_MAX_LENGTH characters, then `…`; the last four (a piece of the key) became one mark.
    expect(result).toBe(`${'x'.repeat(REDACT_MAX_LENGTH - 4)}[redacted]…`);
  });

  it('an echo cut in two by that limit leaves no piece of it before the cut', () => {
    for (const echo of [KEY, btoa(KEY)]) {
      const result = redact(`${'x'.repeat(REDACT_MAX_LENGTH - 5)}${echo} and more`, KEY);
      expect(result).toBe(`${'x'.repeat(REDACT_MAX_LENGTH - 5)}[redacted]…`);
    }
  });
});

describe('errorBodyCode() is the code clients may see', () => {
  it("reads OpenAI's error.code (else error.type) and Anthropic's error.type", () => {
    expect(
      errorBodyCode({ error: { message: 'x', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    ).toBe('invalid_api_key');
    expect(errorBodyCode({ error: { message: 'x', type: 'invalid_request_error', code: null } })).toBe(
      'invalid_request_error',
    );
    expect(errorBodyCode({ type: 'error', error: { type: 'overloaded_error', message: 'x' } })).toBe(
      'overloaded_error',
    );
  });

  it('ignores what is not an identifier (a sentence could echo the request)', () => {
    expect(errorBodyCode({ error: { code: 'you said: my prompt' } })).toBeUndefined();
    expect(errorBodyCode({ error: 'plain text' })).toBeUndefined();
    expect(errorBodyCode('text')).toBeUndefined();
  });
});

describe('redact() and Redis URLs', () => {
  it('hides a password-only credential (redis://:pass@host) as well as user:pass', () => {
    expect(redact('cannot reach redis://:s3cret-pass@cache:6380/0', undefined)).toBe(
      'cannot reach redis://[redacted]@cache:6380/0',
    );
    expect(redact('cannot reach rediss://app:s3cret-pass@cache:6380', undefined)).toBe(
      'cannot reach rediss://[redacted]@cache:6380',
    );
    expect(redact('no credentials: redis://cache:6380', undefined)).toBe(
      'no credentials: redis://cache:6380',
    );
  });
});
